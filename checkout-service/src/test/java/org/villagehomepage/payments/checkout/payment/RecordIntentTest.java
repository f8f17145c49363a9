package org.villagehomepage.payments.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.checkout.CheckoutTestBase;
import org.villagehomepage.payments.checkout.idempotency.KeyClaim;
import org.villagehomepage.payments.checkout.stripe.IntentSnapshot;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * The statement that records a checkout's intent after the Stripe call (PaymentLedger.RECORD_INTENT):
 * the intent, its audit message and the Idempotency-Key's completion, or nothing when the payment
 * has another intent; checked row by row in Postgres.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class RecordIntentTest extends CheckoutTestBase {

    // the intent's records (PaymentLedger.RECORD_INTENT) waiting for a row lock
    private static final String WAITING_RECORDS = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE wait_event_type = 'Lock' AND query LIKE '%WITH before AS%'";

    @Inject
    PaymentLedger ledger;

    @Test
    void theIntentIsRecordedOnceWithItsAuditMessageAndTheKeyCompleted() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        Payment payment = opened(listing, "creating", null);
        KeyClaim claim = inFlightKey(user);
        String intent = newIntentId();
        OffsetDateTime openedAt = payment(payment.id).getOffsetDateTime("updated_at");

        assertTrue(record(user, payment, intent, claim), "the first record is the first");
        Row row = payment(payment.id);
        assertEquals("requires_payment", row.getString("status"));
        assertTrue(row.getOffsetDateTime("updated_at").isAfter(openedAt), "the status change is dated");
        assertEquals(intent, row.getString("payment_intent_id"));
        assertNotNull(row.getOffsetDateTime("intent_created_at"));
        assertEquals(1, audits(listing, "checkout.succeeded"));
        Row key = key(claim);
        assertEquals("completed", key.getString("state"));
        assertEquals(payment.id, key.getUUID("payment_id"));

        OffsetDateTime recordedAt = row.getOffsetDateTime("intent_created_at");
        assertFalse(record(user, payment, intent, KeyClaim.none()), "a repeated checkout is not the first");
        assertEquals(recordedAt, payment(payment.id).getOffsetDateTime("intent_created_at"));
        assertEquals("requires_payment", payment(payment.id).getString("status"));
        assertEquals(2, audits(listing, "checkout.succeeded"), "every answered checkout is audited");
    }

    @Test
    void anotherIntentIsRefusedAndNothingIsWritten() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String recorded = newIntentId();
        Payment payment = opened(listing, "requires_payment", recorded);
        KeyClaim claim = inFlightKey(user);

        Throwable refused = assertThrows(RuntimeException.class, () -> record(user, payment, newIntentId(), claim));
        ProblemException problem = assertInstanceOf(ProblemException.class, refused);
        assertEquals(ProblemType.PAYMENT_PROVIDER_MISMATCH, problem.problemType());
        assertEquals(recorded, payment(payment.id).getString("payment_intent_id"));
        assertEquals(0, audits(listing, "checkout.succeeded"));
        assertEquals("in_flight", key(claim).getString("state"));
    }

    @Test
    void aPaymentAnEventMovedOnKeepsItsStatus() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String intent = newIntentId();
        // the succeeded event came first and recorded the intent from its metadata
        Payment payment = opened(listing, "succeeded", intent);
        OffsetDateTime updatedAt = payment(payment.id).getOffsetDateTime("updated_at");

        assertTrue(record(user, payment, intent, KeyClaim.none()));
        Row row = payment(payment.id);
        assertEquals("succeeded", row.getString("status"));
        assertNotNull(row.getOffsetDateTime("intent_created_at"));
        assertEquals(updatedAt, row.getOffsetDateTime("updated_at"));
        assertEquals(1, audits(listing, "checkout.succeeded"));
    }

    /**
     * Two checkouts of one payment record its intent at the same moment (both wait behind a lock
     * held on the payment, as while an event is applied): exactly one is the first, so the intent
     * is counted once, and the second sees the first's record.
     */
    @Test
    void concurrentRecordsOfOnePaymentCountTheIntentOnce() throws Exception {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        Payment payment = opened(listing, "creating", null);
        String intent = newIntentId();
        SqlConnection holder = pool.getConnection().await().indefinitely();
        try {
            holder.begin().await().indefinitely();
            holder.preparedQuery("SELECT 1 FROM payment WHERE id = $1 FOR UPDATE")
                    .execute(Tuple.of(payment.id))
                    .await()
                    .indefinitely();
            CompletableFuture<Boolean> first = recordLater(user, payment, intent);
            CompletableFuture<Boolean> second = recordLater(user, payment, intent);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count(WAITING_RECORDS) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, count(WAITING_RECORDS), "both records wait for the payment's lock");
            holder.query("COMMIT").execute().await().indefinitely();
            List<Boolean> firsts = List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
            assertEquals(1, firsts.stream().filter(Boolean::booleanValue).count(), "one first record: " + firsts);
        } finally {
            holder.close().await().indefinitely();
        }
        assertEquals("requires_payment", payment(payment.id).getString("status"));
        assertEquals(2, audits(listing, "checkout.succeeded"));
    }

    private CompletableFuture<Boolean> recordLater(UUID user, Payment payment, String intent) {
        return recording(user, payment, intent, KeyClaim.none()).subscribeAsCompletionStage();
    }

    @Test
    void aVanishedPaymentFailsTheCheckout() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        Payment payment = opened(listing, "creating", null);
        KeyClaim claim = inFlightKey(user);
        sql("DELETE FROM payment WHERE id = $1", payment.id);

        assertThrows(IllegalStateException.class, () -> record(user, payment, newIntentId(), claim));
        assertEquals(0, audits(listing, "checkout.succeeded"));
        assertEquals("in_flight", key(claim).getString("state"));
    }

    private boolean record(UUID user, Payment payment, String intent, KeyClaim claim) {
        return recording(user, payment, intent, claim).await().indefinitely();
    }

    private Uni<Boolean> recording(UUID user, Payment payment, String intent, KeyClaim claim) {
        IntentSnapshot snapshot =
                new IntentSnapshot(intent, "secret", payment.amount, payment.currency, "requires_payment", Map.of());
        return ledger.recordIntent(new Caller(user, "127.0.0.1"), payment, snapshot, claim);
    }

    /** A payment as the first transaction of a checkout leaves it, or as an event moved it on. */
    private Payment opened(UUID listing, String status, String intent) {
        UUID id = UUID.randomUUID();
        sql("""
                INSERT INTO payment (id, listing_id, user_id, category_id, purpose, amount, currency, status, payment_intent_id, updated_at)
                SELECT $1, l.id, l.owner_id, l.category_id, 'posting_fee', 2500, 'usd', $2, $3, now() - interval '1 minute'
                FROM listing l WHERE l.id = $4""", id, status, intent, listing);
        return PaymentRows.findPayment(pool, id).await().indefinitely();
    }

    private KeyClaim inFlightKey(UUID user) {
        String key = "key-" + UUID.randomUUID();
        sql(
                "INSERT INTO client_idempotency (user_id, idem_key, request_hash, state) VALUES ($1, $2, 'h', 'in_flight')",
                user,
                key);
        return new KeyClaim(user, key, false, null);
    }

    private Row key(KeyClaim claim) {
        return one(
                "SELECT state, payment_id FROM client_idempotency WHERE user_id = $1 AND idem_key = $2",
                claim.userId(),
                claim.key());
    }

    private Row payment(UUID id) {
        return one("SELECT status, payment_intent_id, intent_created_at, updated_at FROM payment WHERE id = $1", id);
    }
}
