package org.villagehomepage.payments.checkout.listing;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.category.CategoryRepository;
import org.villagehomepage.payments.checkout.payment.PaymentRepository;
import org.villagehomepage.payments.checkout.promotion.PromotionRepository;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

@ApplicationScoped
public class ListingService {

    private final ListingRepository listings;
    private final CategoryRepository categories;
    private final PaymentRepository payments;
    private final PromotionRepository promotions;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public ListingService(
            ListingRepository listings,
            CategoryRepository categories,
            PaymentRepository payments,
            PromotionRepository promotions,
            AuditTrail audit,
            CheckoutSettings settings) {
        this.listings = listings;
        this.categories = categories;
        this.payments = payments;
        this.promotions = promotions;
        this.audit = audit;
        this.settings = settings;
    }

    /** A free category's listing goes live at once; a paid one waits for its posting fee. */
    @WithTransaction
    public Uni<ListingView> create(Caller caller, UUID categoryId, String title) {
        return categories
                .findById(categoryId)
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
                    return listings.persist(listing)
                            .call(saved -> audit.record(Audits.byUser("listing.created", Audits.SUCCESS, caller)
                                    .listing(saved.id)
                                    .amount(category.postingFee, category.currency)
                                    .details(Map.of("category", category.slug, "status", saved.status.value()))))
                            .call(saved -> saved.status != ListingStatus.ACTIVE
                                    ? Uni.createFrom().voidItem()
                                    : audit.record(Audits.byUser("listing.activated", Audits.SUCCESS, caller)
                                            .listing(saved.id)
                                            .details(Map.of("reason", "free_category"))));
                })
                .chain(saved -> view(saved));
    }

    @WithSession
    public Uni<ListingView> view(Caller caller, UUID listingId) {
        return listings.findOwned(listingId, caller.userId()).chain(this::view);
    }

    private Uni<ListingView> view(Listing listing) {
        return payments.listForListing(listing.id)
                .chain(paid ->
                        promotions.listForListing(listing.id).map(promoted -> ListingView.of(listing, paid, promoted)));
    }
}
