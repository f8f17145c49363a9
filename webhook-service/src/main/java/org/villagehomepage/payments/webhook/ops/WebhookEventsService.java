package org.villagehomepage.payments.webhook.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.dispatch.EventStatus;
import org.villagehomepage.payments.webhook.dispatch.Redispatch;

/** Ops on stored events: find them by status, type and time; send one again. */
@ApplicationScoped
public class WebhookEventsService {

    private final Pool pool;
    private final WebhookEventQueries queries;
    private final Redispatch redispatch;
    private final AuditOutbox audit;

    public WebhookEventsService(Pool pool, WebhookEventQueries queries, Redispatch redispatch, AuditOutbox audit) {
        this.pool = pool;
        this.queries = queries;
        this.redispatch = redispatch;
        this.audit = audit;
    }

    public Uni<List<WebhookEventView>> list(String status, String type, String since, int offset, int limit) {
        if (status != null && !EventStatus.ALL.contains(status)) {
            throw new ProblemException(
                    ProblemType.VALIDATION, "status must be one of " + String.join(", ", EventStatus.ALL));
        }
        if (offset < 0) {
            throw new ProblemException(ProblemType.VALIDATION, "offset must not be negative");
        }
        return queries.list(status, blankToNull(type), parseSince(since), offset, Math.max(1, Math.min(limit, 1000)));
    }

    /** Re-dispatches the event (dead or not) and audits who did it. */
    public Uni<WebhookEventView> replay(String eventId, String adminId) {
        String requestId = RequestIds.current();
        return pool.withTransaction(connection -> redispatch
                .requeue(connection, eventId, requestId)
                .flatMap(queued -> {
                    if (!queued) {
                        return Uni.createFrom().failure(ProblemException.notFound("Webhook event"));
                    }
                    AuditOutbox.Entry entry = new AuditOutbox.Entry(
                            UUID.randomUUID(),
                            "webhook.replayed",
                            "success",
                            "admin",
                            adminId,
                            null,
                            requestId,
                            null,
                            Map.of("eventId", eventId));
                    return audit.record(connection, List.of(entry), requestId)
                            .chain(() -> queries.find(connection, eventId))
                            .map(view -> view.orElseThrow(() -> ProblemException.notFound("Webhook event")));
                }));
    }

    private static OffsetDateTime parseSince(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(since);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.VALIDATION, "since must be an ISO-8601 date-time with offset");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
