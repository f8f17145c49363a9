package org.villagehomepage.payments.checkout.listing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.category.CategoryRows;
import org.villagehomepage.payments.checkout.payment.PaymentRows;
import org.villagehomepage.payments.checkout.promotion.PromotionRows;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

@ApplicationScoped
public class ListingService {

    private final Pool pool;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public ListingService(Pool pool, AuditTrail audit, CheckoutSettings settings) {
        this.pool = pool;
        this.audit = audit;
        this.settings = settings;
    }

    /** A free category's listing goes live at once; a paid one waits for its posting fee. */
    public Uni<ListingView> create(Caller caller, UUID categoryId, String title) {
        String requestId = RequestIds.current();
        return pool.withTransaction(tx -> CategoryRows.find(tx, categoryId)
                .onItem()
                .ifNull()
                .failWith(() -> new ProblemException(ProblemType.UNKNOWN_CATEGORY, "The category does not exist"))
                .chain(category -> {
                    Listing listing = Listing.draft(caller.userId(), category.id, title);
                    if (category.isFree()) {
                        listing.activate(settings.listingLifetime(), null);
                    } else {
                        listing.moveTo(ListingStatus.PENDING_PAYMENT);
                    }
                    return ListingRows.insert(tx, listing)
                            .chain(() -> audit.record(
                                    tx,
                                    Audits.byUser("listing.created", Audits.SUCCESS, caller)
                                            .listing(listing.id)
                                            .amount(category.postingFee, category.currency)
                                            .details(Map.of(
                                                    "category", category.slug, "status", listing.status.value())),
                                    requestId))
                            .chain(() -> listing.status != ListingStatus.ACTIVE
                                    ? Uni.createFrom().voidItem()
                                    : audit.record(
                                            tx,
                                            Audits.byUser("listing.activated", Audits.SUCCESS, caller)
                                                    .listing(listing.id)
                                                    .details(Map.of("reason", "free_category")),
                                            requestId))
                            // A listing created just now has no payments or promotions yet: nothing to read back.
                            .map(ignored -> ListingView.of(listing, List.of(), List.of()));
                }));
    }

    public Uni<ListingView> view(Caller caller, UUID listingId) {
        return pool.withConnection(connection -> ListingRows.findOwned(connection, listingId, caller.userId())
                .chain(listing -> view(connection, listing)));
    }

    private static Uni<ListingView> view(SqlClient client, Listing listing) {
        return PaymentRows.listForListing(client, listing.id)
                .chain(paid -> PromotionRows.listForListing(client, listing.id)
                        .map(promoted -> ListingView.of(listing, paid, promoted)));
    }
}
