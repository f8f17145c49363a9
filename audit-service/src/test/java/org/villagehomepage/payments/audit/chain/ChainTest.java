package org.villagehomepage.payments.audit.chain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.villagehomepage.payments.audit.AuditApi.event;
import static org.villagehomepage.payments.audit.AuditApi.post;
import static org.villagehomepage.payments.audit.AuditApi.with;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.audit.AuditApi;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class ChainTest {

    @Inject
    Pool pool;

    @Test
    void anUntouchedTrailVerifies() {
        Instant from = Instant.now().minusMillis(1);
        post(batch(5)).statusCode(200);

        verify(from).body("intact", equalTo(true)).body("checked", greaterThanOrEqualTo(5));
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/audit/verify")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true));
    }

    @Test
    void aRowChangedBehindTheServicesBackIsFoundAndRepairedRowsVerifyAgain() throws SQLException {
        Instant from = Instant.now().minusMillis(1);
        List<Map<String, Object>> events = batch(3);
        post(events).statusCode(200);
        SealedEntry middle = entry(UUID.fromString((String) events.get(1).get("id")));
        double failuresBefore = AuditApi.metric("homepage_audit_chain_verification_failures_total");

        asSuperuserWithoutTriggers(middle, "UPDATE %s SET amount = 1 WHERE seq = " + middle.seq());
        try {
            JsonPath report =
                    verify(from).body("intact", equalTo(false)).extract().jsonPath();
            assertThat(report.getLong("brokenAt.seq")).isEqualTo(middle.seq());
            assertThat(report.getString("brokenAt.entryId"))
                    .isEqualTo(middle.content().id().toString());
            assertThat(report.getString("brokenAt.reason")).isEqualTo("content-hash-mismatch");
            assertThat(AuditApi.metric("homepage_audit_chain_verification_failures_total") - failuresBefore)
                    .isEqualTo(1.0);
        } finally {
            asSuperuserWithoutTriggers(
                    middle, "UPDATE %s SET amount = " + middle.content().amount() + " WHERE seq = " + middle.seq());
        }
        verify(from).body("intact", equalTo(true));
    }

    @Test
    void aRewrittenHashIsCaughtAtTheNextLink() throws SQLException {
        Instant from = Instant.now().minusMillis(1);
        List<Map<String, Object>> events = batch(3);
        post(events).statusCode(200);
        SealedEntry middle = entry(UUID.fromString((String) events.get(1).get("id")));
        EntryContent c = middle.content();
        EntryContent forged = new EntryContent(
                c.id(),
                c.occurredAt(),
                c.receivedFrom(),
                c.service(),
                c.action(),
                c.outcome(),
                c.actorType(),
                c.actorId(),
                c.listingId(),
                c.paymentIntentId(),
                c.refundId(),
                1L,
                c.currency(),
                c.requestId(),
                c.sourceIp(),
                c.details());
        byte[] forgedHash = ChainHasher.hash(middle.seq(), middle.recordedAt(), forged, middle.prevHash());

        asSuperuserWithoutTriggers(
                middle,
                "UPDATE %s SET amount = 1, hash = decode('" + ChainHasher.hex(forgedHash) + "', 'hex') WHERE seq = "
                        + middle.seq());
        try {
            JsonPath report =
                    verify(from).body("intact", equalTo(false)).extract().jsonPath();
            assertThat(report.getLong("brokenAt.seq")).isEqualTo(middle.seq() + 1);
            assertThat(report.getString("brokenAt.entryId"))
                    .isEqualTo(events.get(2).get("id"));
            assertThat(report.getString("brokenAt.reason")).isEqualTo("previous-hash-mismatch");
        } finally {
            asSuperuserWithoutTriggers(
                    middle,
                    "UPDATE %s SET amount = " + c.amount() + ", hash = decode('" + ChainHasher.hex(middle.hash())
                            + "', 'hex') WHERE seq = " + middle.seq());
        }
        verify(from).body("intact", equalTo(true));
    }

    @Test
    void aDeletedRowIsFound() throws SQLException {
        Instant from = Instant.now().minusMillis(1);
        List<Map<String, Object>> events = batch(3);
        post(events).statusCode(200);
        SealedEntry middle = entry(UUID.fromString((String) events.get(1).get("id")));

        String partition = partitionOf(middle);
        try (Connection db = AuditApi.superuser();
                Statement sql = db.createStatement()) {
            sql.execute("CREATE TEMP TABLE saved AS SELECT * FROM " + partition + " WHERE seq = " + middle.seq());
            sql.execute("ALTER TABLE " + partition + " DISABLE TRIGGER USER");
            sql.execute("DELETE FROM " + partition + " WHERE seq = " + middle.seq());
            sql.execute("ALTER TABLE " + partition + " ENABLE TRIGGER USER");

            JsonPath report =
                    verify(from).body("intact", equalTo(false)).extract().jsonPath();
            assertThat(report.getLong("brokenAt.seq")).isEqualTo(middle.seq());
            assertThat(report.getString("brokenAt.reason")).isEqualTo("missing-entry");

            sql.execute("INSERT INTO " + partition + " SELECT * FROM saved");
        }
        verify(from).body("intact", equalTo(true));
    }

    @Test
    void badBoundsAreRefused() {
        given().header("Authorization", Tokens.admin())
                .queryParam("from", "yesterday")
                .get("/admin/api/audit/verify")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.admin())
                .queryParam("from", "2026-02-01T00:00:00Z")
                .queryParam("to", "2026-01-01T00:00:00Z")
                .get("/admin/api/audit/verify")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private static List<Map<String, Object>> batch(int size) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            events.add(with(event("payment.succeeded", "success"), "amount", 500 + i, "currency", "usd"));
        }
        return events;
    }

    private static io.restassured.response.ValidatableResponse verify(Instant from) {
        return given().header("Authorization", Tokens.admin())
                .queryParam("from", from.toString())
                .get("/admin/api/audit/verify")
                .then()
                .statusCode(200);
    }

    private SealedEntry entry(UUID id) {
        Row row = pool.preparedQuery("SELECT " + EntryRows.COLUMNS + " FROM audit_entry WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
        return EntryRows.from(row);
    }

    private String partitionOf(SealedEntry entry) {
        return pool.preparedQuery("SELECT tableoid::regclass::text AS p FROM audit_entry WHERE seq = $1")
                .execute(Tuple.of(entry.seq()))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("p");
    }

    /**
     * What someone with superuser rights could do: switch the partition's triggers off, change
     * rows, switch them back on. {@code %s} in the SQL is the entry's partition.
     */
    private void asSuperuserWithoutTriggers(SealedEntry entry, String sqlTemplate) throws SQLException {
        String partition = partitionOf(entry);
        try (Connection db = AuditApi.superuser();
                Statement sql = db.createStatement()) {
            sql.execute("ALTER TABLE " + partition + " DISABLE TRIGGER USER");
            try {
                sql.execute(sqlTemplate.formatted(partition));
            } finally {
                sql.execute("ALTER TABLE " + partition + " ENABLE TRIGGER USER");
            }
        }
    }
}
