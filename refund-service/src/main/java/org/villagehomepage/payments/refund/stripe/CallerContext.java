package org.villagehomepage.payments.refund.stripe;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Stripe calls finish on a worker thread; the reactive Hibernate session that follows must run on
 * the caller's Vert.x context again.
 */
final class CallerContext {

    private CallerContext() {
    }

    static <T> Uni<T> resumeOnCaller(Uni<T> blocking) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? blocking : blocking.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }
}
