package org.villagehomepage.payments.refund.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * For webhook-service's amount-level reconciliation: per PaymentIntent, what the refund ledger
 * counts as refunded (processed refunds, the suite's and those made at Stripe) and disputed
 * (chargebacks, whatever their outcome: Stripe's disputes list keeps them too).
 */
@Path("/internal/ledger/amounts")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in RefundAllowlist
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LedgerAmountsResource {

    // One sub-select per intent, each served by an index on payment_intent_id (up to 50,000 intents).
    static final String AMOUNTS = """
            SELECT pi,
                coalesce((SELECT sum(r.amount) FROM refund_request r WHERE r.payment_intent_id = pi
                    AND r.status = 'processed' AND r.reason <> 'chargeback'), 0) AS refunded,
                coalesce((SELECT sum(c.amount) FROM chargeback c WHERE c.payment_intent_id = pi), 0) AS disputed
            FROM unnest($1::text[]) AS pi""";

    private final Pool pool;

    public LedgerAmountsResource(Pool pool) {
        this.pool = pool;
    }

    public record Query(
            @NotNull @Size(max = 50_000)
            List<@NotNull @Pattern(regexp = "pi_[A-Za-z0-9_]{1,200}") String> paymentIntentIds) {}

    public record Amounts(String paymentIntentId, long refunded, long disputed) {}

    @POST
    public Uni<List<Amounts>> amounts(@Valid @NotNull Query query) {
        String[] ids = query.paymentIntentIds().toArray(String[]::new);
        return pool.preparedQuery(AMOUNTS).execute(Tuple.of(ids)).map(rows -> {
            List<Amounts> all = new ArrayList<>();
            for (Row row : rows) {
                long refunded = row.getLong(1);
                long disputed = row.getLong(2);
                if (refunded != 0 || disputed != 0) {
                    all.add(new Amounts(row.getString(0), refunded, disputed));
                }
            }
            return all;
        });
    }
}
