package org.villagehomepage.payments.common.outbox;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

@ConfigMapping(prefix = "outbox")
public interface OutboxSettings {

    /** Receiver name -> base URL, e.g. {@code outbox.destinations.audit=http://audit-service:8084}. */
    Map<String, String> destinations();

    Relay relay();

    interface Relay {
        /** Off in tests that must not talk to other services. */
        @WithDefault("true")
        boolean enabled();

        /** The poll: how often due messages are looked for when no insert woke the relay (see listen). */
        @WithDefault("200ms")
        Duration interval();

        /**
         * Also wake on every new message: LISTEN on {@code outbox_<schema>}, which the outbox trigger
         * notifies (db/common R__outbox_notify.sql), over one pooled connection held for it. Off
         * where LISTEN cannot work (a transaction-mode pooler between the service and Postgres):
         * the poll alone then relays.
         */
        @WithDefault("true")
        boolean listen();

        /** Requests sent at once per cycle (and pooled connections per receiver). */
        @WithDefault("16")
        int batchSize();

        /**
         * Messages claimed per cycle. Messages to a merged path travel many per request, the rest
         * batch-size at a time; a message whose send could no longer start within its lease is
         * given back unsent (no attempt counted) and claimed again by the next cycle.
         */
        @WithDefault("256")
        int claimSize();

        /**
         * Payload bytes claimed per cycle at most (the first due message always): the relay holds a
         * cycle's payloads, and parses those to a merged path, in a heap of 96 MiB. Without it a
         * backlog of large messages (audit batches of 60 KB after a receiver outage) made one claim
         * of 256 of them 16 MB of JSON, and every cycle ran out of memory on the same messages.
         * The next cycle follows at once while more are due.
         */
        @WithDefault("2M")
        MemorySize claimMaxBytes();

        /**
         * Paths whose receiver takes {@code {"events":[...]}} and stores each event once by its own
         * id, whatever request it came in (audit-service): due messages to the same destination and
         * path leave as one request with their events concatenated, so a receiver that serializes
         * its writes (the audit chain) takes one transaction per request, not per message.
         * Messages to other paths go one per request with their {@code X-Message-Id}.
         */
        @WithDefault("/internal/audit/events")
        List<String> mergedPaths();

        /** At most this many events per merged request (audit-service accepts 1000). 1 turns merging off. */
        @WithDefault("200")
        int mergeMax();

        /**
         * How long a claimed message stays reserved for the relay that claimed it. Must exceed
         * request-timeout by more than a tenth of itself (checked at start).
         */
        @WithDefault("30s")
        Duration lease();

        /** A transiently failing message is dead only after this many attempts AND retry-window. */
        @WithDefault("10")
        int maxAttempts();

        /**
         * How long transient failures (refused, timeout, 5xx, 408, 409, 429) are retried before a
         * message can go dead: longer than Stripe's own 3-day retry window.
         */
        @WithDefault("P4D")
        Duration retryWindow();

        @WithDefault("1s")
        Duration baseBackoff();

        @WithDefault("10m")
        Duration maxBackoff();

        /**
         * Bounds a whole delivery. Receivers that read Stripe before answering (bounded by
         * stripe.timeout x attempts) need more than a quick call; kept below the lease (see lease).
         */
        @WithDefault("20s")
        Duration requestTimeout();

        /** Delivered messages are kept this long, for investigation, then deleted. */
        @WithDefault("P7D")
        Duration keepDelivered();

        /**
         * How long receivers remember applied message ids. Longer than any message can still
         * arrive (retries, and an admin retrying a dead message), so a replay is never re-applied.
         */
        @WithDefault("P400D")
        Duration keepProcessedIds();
    }
}
