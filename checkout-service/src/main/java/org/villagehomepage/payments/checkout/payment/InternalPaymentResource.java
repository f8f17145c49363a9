package org.villagehomepage.payments.checkout.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.checkout.stripe.PaymentRestore;
import org.villagehomepage.payments.checkout.stripe.StripeEvent;
import org.villagehomepage.payments.common.contract.PaymentOverview;
import org.villagehomepage.payments.common.contract.RestoredPayment;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.ServiceCaller;

/**
 * For webhook-service: what checkout knows about a PaymentIntent (disaster-recovery dry run), and
 * the captured amounts of a period (amount-level reconciliation).
 */
@Path("/internal/payments")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in CheckoutAllowlist
@Produces(MediaType.APPLICATION_JSON)
public class InternalPaymentResource {

    /** A period's answer is bounded; reconciliation asks day by day when it needs more. */
    static final int MAX_CAPTURED = 50_000;

    private final Pool pool;
    private final PaymentRestore restore;
    private final ObjectMapper mapper;

    public InternalPaymentResource(Pool pool, PaymentRestore restore, ObjectMapper mapper) {
        this.pool = pool;
        this.restore = restore;
        this.mapper = mapper;
    }

    public record Captured(
            String paymentIntentId, long amount, String currency, OffsetDateTime succeededAt, String status) {}

    /**
     * Payments whose money the suite counts as captured, succeeded in [from, to): status succeeded,
     * plus mismatch (Stripe captured it, the suite refused to apply it: reported with suite amount 0).
     */
    @GET
    @Path("/captured")
    public Uni<List<Captured>> captured(
            @QueryParam("from") @NotNull String fromText, @QueryParam("to") @NotNull String toText) {
        OffsetDateTime from = instant("from", fromText);
        OffsetDateTime to = instant("to", toText);
        return pool.preparedQuery("""
                        SELECT payment_intent_id, amount, currency, coalesce(succeeded_at, updated_at) AS at, status FROM payment
                        WHERE payment_intent_id IS NOT NULL AND status IN ('succeeded', 'mismatch')
                        AND coalesce(succeeded_at, updated_at) >= $1 AND coalesce(succeeded_at, updated_at) < $2
                        ORDER BY 4 LIMIT $3""").execute(Tuple.of(from, to, MAX_CAPTURED)).map(rows -> {
            List<Captured> all = new ArrayList<>();
            for (Row row : rows) {
                all.add(new Captured(
                        row.getString(0),
                        row.getLong(1),
                        row.getString(2),
                        row.getOffsetDateTime(3),
                        row.getString(4)));
            }
            return all;
        });
    }

    /** The columns of {@link PaymentOverview}, in its order. */
    private static final String OVERVIEW = """
            SELECT p.id, p.payment_intent_id, p.purpose, p.status, p.listing_id, l.status AS listing_status, p.user_id,
                p.amount, p.currency, pr.status AS promotion_status
            FROM payment p JOIN listing l ON l.id = p.listing_id LEFT JOIN promotion pr ON pr.payment_id = p.id
            """;

    @GET
    @Path("/by-intent/{paymentIntentId}")
    public Uni<PaymentOverview> byIntent(
            @PathParam("paymentIntentId") @Pattern(regexp = "pi_[A-Za-z0-9_]{1,200}") String intentId) {
        return pool.preparedQuery(OVERVIEW + "WHERE p.payment_intent_id = $1")
                .execute(Tuple.of(intentId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Payment");
                    }
                    return overview(rows.iterator().next());
                });
    }

    /**
     * Disaster recovery's rebuild: the body is a {@code payment_intent.succeeded} event around the
     * PaymentIntent as Stripe lists it now. Re-creates the payment (and a posting fee's listing) a
     * restored database lacks, then applies the event as a webhook would; idempotent.
     */
    @POST
    @Path("/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestoredPayment> restore(String body, @Context SecurityContext security) {
        JsonNode event = StripeEvent.read(mapper, body);
        return restore.restore(
                StripeEvent.parse(event),
                event.path("data").path("object").path("created").asLong(0),
                ServiceCaller.of(security));
    }

    /** For the payment doctor: the payments of a listing or of a user (the id is either), newest first. */
    @GET
    @Path("/by-subject/{id}")
    public Uni<List<PaymentOverview>> bySubject(@PathParam("id") UUID id) {
        return pool.preparedQuery(
                        OVERVIEW + "WHERE p.listing_id = $1 OR p.user_id = $1 ORDER BY p.created_at DESC LIMIT 50")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<PaymentOverview> all = new ArrayList<>();
                    for (Row row : rows) {
                        all.add(overview(row));
                    }
                    return all;
                });
    }

    private static PaymentOverview overview(Row row) {
        return new PaymentOverview(
                row.getUUID(0),
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getUUID(4),
                row.getString(5),
                row.getUUID(6),
                row.getLong(7),
                row.getString(8),
                row.getString(9));
    }

    private static OffsetDateTime instant(String name, String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemType.VALIDATION, name + " must be an ISO-8601 date-time with offset");
        }
    }
}
