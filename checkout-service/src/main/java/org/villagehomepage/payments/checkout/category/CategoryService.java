package org.villagehomepage.payments.checkout.category;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;

@ApplicationScoped
public class CategoryService {

    private final Pool pool;
    private final AuditTrail audit;

    public CategoryService(Pool pool, AuditTrail audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public Uni<List<CategoryView>> list() {
        return CategoryRows.listByName(pool)
                .map(all -> all.stream().map(CategoryView::of).toList());
    }

    /** New fees apply to payments opened from now on; an open PaymentIntent keeps its price. */
    public Uni<CategoryView> changeFee(UUID categoryId, long newFee, String adminId, String sourceIp) {
        String requestId = RequestIds.current();
        return pool.withTransaction(tx -> CategoryRows.lock(tx, categoryId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Category"))
                .call(category -> {
                    long oldFee = category.postingFee;
                    category.postingFee = newFee;
                    category.updatedAt = OffsetDateTime.now();
                    return CategoryRows.updateFee(tx, category)
                            .chain(() -> audit.record(
                                    tx,
                                    AuditEvent.builder("fee.changed", "success")
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
                                                    Long.toString(newFee))),
                                    requestId));
                })
                .map(CategoryView::of));
    }
}
