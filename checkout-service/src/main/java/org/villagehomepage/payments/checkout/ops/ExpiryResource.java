package org.villagehomepage.payments.checkout.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.checkout.listing.ListingExpiryJob;
import org.villagehomepage.payments.checkout.promotion.PromotionExpiryJob;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.security.Roles;

/**
 * Force expiry (operations guide, "Featured promotion not expiring"): runs the promotion and
 * listing expiry jobs now, batch after batch until nothing is due, and reports what changed. Same
 * code and locks as the scheduled jobs, so it is safe while they run.
 */
@Path("/admin/api/marketplace/expiry/run")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ExpiryResource {

    /** Bounds one call (batches of checkout.jobs.batch-size); the rest is left to the next call or the job. */
    static final int MAX_BATCHES = 50;

    private final ListingExpiryJob listings;
    private final PromotionExpiryJob promotions;
    private final Pool pool;
    private final AuditTrail audit;
    private final JsonWebToken jwt;

    public ExpiryResource(
            ListingExpiryJob listings, PromotionExpiryJob promotions, Pool pool, AuditTrail audit, JsonWebToken jwt) {
        this.listings = listings;
        this.promotions = promotions;
        this.pool = pool;
        this.audit = audit;
        this.jwt = jwt;
    }

    public record ExpiredPromotion(UUID id, UUID listingId, String type) {}

    public record Report(
            int promotionsExpired, List<ExpiredPromotion> promotions, int listingsExpired, List<UUID> listings) {}

    @POST
    public Uni<Report> run(@Context HttpServerRequest request) {
        String admin = jwt.getSubject();
        String sourceIp = Caller.sourceIp(request);
        String requestId = RequestIds.current();
        return drain(
                        () -> promotions
                                .expireBatch()
                                .map(batch -> batch.stream()
                                        .map(p -> new ExpiredPromotion(p.id, p.listingId, p.type.value()))
                                        .toList()),
                        new ArrayList<>(),
                        0)
                .chain(ended -> drain(listings::expireBatch, new ArrayList<>(), 0)
                        .map(expired -> new Report(ended.size(), ended, expired.size(), expired)))
                .call(report -> pool.withTransaction(tx -> audit.record(
                        tx,
                        AuditEvent.builder("expiry.forced", "success")
                                .actor("admin", admin)
                                .sourceIp(sourceIp)
                                .details(Map.of(
                                        "promotionsExpired",
                                        Integer.toString(report.promotionsExpired()),
                                        "listingsExpired",
                                        Integer.toString(report.listingsExpired()))),
                        requestId)));
    }

    private static <T> Uni<List<T>> drain(Supplier<Uni<List<T>>> batch, List<T> done, int batches) {
        if (batches >= MAX_BATCHES) {
            return Uni.createFrom().item(done);
        }
        return batch.get().chain(items -> {
            done.addAll(items);
            return items.isEmpty() ? Uni.createFrom().item(done) : drain(batch, done, batches + 1);
        });
    }
}
