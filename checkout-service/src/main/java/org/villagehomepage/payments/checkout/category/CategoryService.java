package org.villagehomepage.payments.checkout.category;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.problem.ProblemException;

@ApplicationScoped
public class CategoryService {

    private final CategoryRepository categories;
    private final AuditTrail audit;

    public CategoryService(CategoryRepository categories, AuditTrail audit) {
        this.categories = categories;
        this.audit = audit;
    }

    @WithSession
    public Uni<List<CategoryView>> list() {
        return categories
                .listByName()
                .map(all -> all.stream().map(CategoryView::of).toList());
    }

    /** New fees apply to payments opened from now on; an open PaymentIntent keeps its price. */
    @WithTransaction
    public Uni<CategoryView> changeFee(UUID categoryId, long newFee, String adminId, String sourceIp) {
        return categories
                .findById(categoryId, LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Category"))
                .call(category -> {
                    long oldFee = category.postingFee;
                    category.postingFee = newFee;
                    category.updatedAt = OffsetDateTime.now();
                    return audit.record(AuditEvent.builder("fee.changed", "success")
                            .actor("admin", adminId)
                            .sourceIp(sourceIp)
                            .amount(newFee, category.currency)
                            .details(Map.of(
                                    "categoryId",
                                    category.id.toString(),
                                    "category",
                                    category.slug,
                                    "oldFee",
                                    Long.toString(oldFee),
                                    "newFee",
                                    Long.toString(newFee))));
                })
                .map(CategoryView::of);
    }
}
