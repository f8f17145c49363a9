package org.villagehomepage.payments.common.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;
import org.villagehomepage.payments.common.sql.CustomPlans;

/** Ops: see the messages the relay gave up on, and send one again once the receiver is fixed. */
@Path("/admin/api/outbox")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class OutboxAdminResource {

    private final Pool pool;

    public OutboxAdminResource(Pool pool) {
        this.pool = pool;
    }

    public record DeadMessage(
            UUID id, String destination, String path, int attempts, String lastError, OffsetDateTime createdAt) {}

    /**
     * @param offset rows to skip (0 when absent): with pages of at most {@code limit} (1,000) rows any
     *               depth can be paged; the order (oldest first, then id) is total, so consecutive
     *               pages never overlap or miss a row
     */
    @GET
    @Path("/dead")
    public Uni<List<DeadMessage>> dead(
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (offset < 0) {
            throw new ProblemException(ProblemType.VALIDATION, "offset must not be negative");
        }
        // a page at any depth of a growing list: planned with its offset every time
        return CustomPlans.inTransaction(
                        pool,
                        connection -> connection
                                .preparedQuery("""
                SELECT id, destination, path, attempts, last_error, created_at FROM outbox_message
                WHERE status = 'dead' ORDER BY created_at, id OFFSET $1 LIMIT $2""")
                                .execute(Tuple.of(offset, Math.max(1, Math.min(limit, 1000)))))
                .map(rows -> {
                    List<DeadMessage> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new DeadMessage(
                                row.getUUID("id"),
                                row.getString("destination"),
                                row.getString("path"),
                                row.getInteger("attempts"),
                                row.getString("last_error"),
                                row.getOffsetDateTime("created_at")));
                    }
                    return result;
                });
    }

    @POST
    @Path("/{id}/retry")
    public Uni<DeadMessage> retry(@jakarta.ws.rs.PathParam("id") UUID id) {
        return pool.preparedQuery("""
                UPDATE outbox_message SET status = 'pending', attempts = 0, available_at = now(), claimed_until = NULL
                WHERE id = $1 AND status = 'dead'
                RETURNING id, destination, path, attempts, last_error, created_at""").execute(Tuple.of(id)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.notFound("Dead message");
            }
            Row row = rows.iterator().next();
            return new DeadMessage(
                    row.getUUID("id"),
                    row.getString("destination"),
                    row.getString("path"),
                    row.getInteger("attempts"),
                    row.getString("last_error"),
                    row.getOffsetDateTime("created_at"));
        });
    }
}
