package org.villagehomepage.payments.refund.review;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.sql.CustomPlans;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.RefundSettings;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.request.RefundRequestRepository;
import org.villagehomepage.payments.refund.request.RefundStatus;

/** The super_admin's review: list, approve (then Stripe), reject, retry a failed refund. */
@ApplicationScoped
public class RefundReview {

    private final Pool pool;
    private final RefundTransitions transitions;
    private final RefundExecution execution;
    private final RefundRequestRepository requests;
    private final RefundSettings settings;

    public RefundReview(
            Pool pool,
            RefundTransitions transitions,
            RefundExecution execution,
            RefundRequestRepository requests,
            RefundSettings settings) {
        this.pool = pool;
        this.transitions = transitions;
        this.execution = execution;
        this.requests = requests;
        this.settings = settings;
    }

    /** A page of requests; planned with its page and filter at every call (CustomPlans), as the table grows. */
    public Uni<List<RefundRequest>> list(String status, int offset, int limit) {
        int page = Math.max(1, Math.min(limit, settings.maxPage()));
        if (offset < 0) {
            throw new ProblemException(ProblemType.VALIDATION, "offset must not be negative");
        }
        if (status == null || status.isBlank()) {
            return CustomPlans.inTransaction(pool, tx -> requests.all(tx, offset, page));
        }
        RefundStatus wanted = RefundStatus.parse(status)
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION, "Unknown refund status"));
        return CustomPlans.inTransaction(pool, tx -> requests.byStatus(tx, wanted, offset, page));
    }

    public Uni<RefundRequest> get(UUID id) {
        return requests.find(pool, id).onItem().ifNull().failWith(() -> ProblemException.notFound("Refund request"));
    }

    public Uni<RefundRequest> approve(UUID id, Actor admin, String note) {
        return transitions
                .approve(id, admin, note)
                .flatMap(order -> execution.drive(order, false))
                .map(RefundReview::processedOrProblem);
    }

    public Uni<RefundRequest> reject(UUID id, Actor admin, String note) {
        return transitions.reject(id, admin, note);
    }

    /** The same idempotency key as the first attempt, and a look at Stripe first: never a second refund. */
    public Uni<RefundRequest> retry(UUID id, Actor admin) {
        return transitions
                .retry(id, admin)
                .flatMap(order -> execution.drive(order, true))
                .map(RefundReview::processedOrProblem);
    }

    private static RefundRequest processedOrProblem(RefundRequest request) {
        if (request.status == RefundStatus.FAILED) {
            throw new ProblemException(
                    ProblemType.STRIPE_REFUND_FAILED,
                    "Stripe did not complete the refund; the request is marked failed and can be retried");
        }
        return request;
    }
}
