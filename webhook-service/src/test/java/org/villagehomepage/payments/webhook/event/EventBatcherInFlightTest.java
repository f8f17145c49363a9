package org.villagehomepage.payments.webhook.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.pgclient.PgException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.webhook.WebhookSettings;

/**
 * Issue 13.8: the batcher's own accounting, with a store whose transactions the test opens and
 * ends by hand (a store transaction is what max-in-flight bounds; Postgres is not the subject).
 */
class EventBatcherInFlightTest {

    /** Counts the store transactions open at once; each stays open until the test ends it. */
    static final class HeldStore extends EventStore {
        record Call(List<StripeEvent> events, UniEmitter<? super Set<String>> emitter) {}

        final Deque<Call> open = new ArrayDeque<>();
        int maxOpen;

        HeldStore() {
            super(null, null, null, null);
        }

        @Override
        public Uni<Set<String>> store(List<StripeEvent> events) {
            return Uni.createFrom().emitter(emitter -> {
                synchronized (this) {
                    open.add(new Call(events, emitter));
                    maxOpen = Math.max(maxOpen, open.size());
                }
            });
        }

        synchronized Call next() {
            return open.poll();
        }

        void succeed(Call call) {
            call.emitter().complete(call.events().stream().map(StripeEvent::id).collect(Collectors.toSet()));
        }
    }

    @Test
    void eventsRetriedAloneAfterADatabaseErrorStayWithinMaxInFlight() throws Exception {
        HeldStore store = new HeldStore();
        EventBatcher batcher = new EventBatcher(store, null, settings(64, OptionalInt.of(2)), 20);
        List<CompletableFuture<EventBatcher.Outcome>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(batcher.submit(event("evt_" + i)).subscribeAsCompletionStage());
        }
        // two single-event transactions are open, six events wait
        assertThat(store.open).hasSize(2);
        store.succeed(store.next());
        // the six leave together; the batch fails with a statement error, so each is stored alone
        HeldStore.Call batch = store.open.peekLast();
        assertThat(batch.events()).hasSize(6);
        store.open.remove(batch);
        batch.emitter().fail(new PgException("invalid input", "ERROR", "22P02", null));

        assertThat(store.maxOpen).as("store transactions open at once").isLessThanOrEqualTo(2);
        HeldStore.Call call;
        while ((call = store.next()) != null) {
            store.succeed(call);
            assertThat(store.maxOpen).isLessThanOrEqualTo(2);
        }
        for (CompletableFuture<EventBatcher.Outcome> answer : answers) {
            assertThat(answer.get()).isEqualTo(EventBatcher.Outcome.STORED);
        }
    }

    @Test
    void unsetMaxInFlightIsFourStatementsLeavingConnectionsForTheRest() {
        HeldStore store = new HeldStore();
        EventBatcher batcher = new EventBatcher(store, null, settings(64, OptionalInt.empty()), 20);
        for (int i = 0; i < 10; i++) {
            batcher.submit(event("evt_" + i)).subscribeAsCompletionStage();
        }
        // the default pool of 20: 4 single-event statements at once, the other six wait and leave together
        assertThat(store.open).hasSize(EventBatcher.DEFAULT_IN_FLIGHT);
        store.succeed(store.next());
        assertThat(store.open.peekLast().events()).hasSize(6);
        assertThat(store.maxOpen).isEqualTo(4);
        assertThat(new EventBatcher(store, null, settings(64, OptionalInt.empty()), 6).maxInFlight())
                .as("a pool of 6 leaves 4 connections to the rest")
                .isEqualTo(2);
        assertThat(new EventBatcher(store, null, settings(64, OptionalInt.empty()), 2).maxInFlight())
                .as("a pool smaller than the reserve still stores")
                .isEqualTo(1);
    }

    private static StripeEvent event(String id) {
        return new StripeEvent(
                id, "payment_intent.succeeded", Instant.now(), false, "pi_1", "checkout", "{}", "127.0.0.1", "req-1");
    }

    private static WebhookSettings settings(int maxBatch, OptionalInt maxInFlight) {
        WebhookSettings.Intake intake = (WebhookSettings.Intake) Proxy.newProxyInstance(
                EventBatcherInFlightTest.class.getClassLoader(),
                new Class<?>[] {WebhookSettings.Intake.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "maxBatch" -> maxBatch;
                    case "maxInFlight" -> maxInFlight;
                    case "linger" -> Duration.ZERO;
                    case "storeTimeout" -> Duration.ofSeconds(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (WebhookSettings) Proxy.newProxyInstance(
                EventBatcherInFlightTest.class.getClassLoader(),
                new Class<?>[] {WebhookSettings.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("intake")) {
                        return intake;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
