package org.villagehomepage.payments.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

        @WithDefault("200ms")
        Duration interval();

        @WithDefault("50")
        int batchSize();

        /** How long a claimed message stays reserved for the relay that claimed it. */
        @WithDefault("30s")
        Duration lease();

        @WithDefault("10")
        int maxAttempts();

        @WithDefault("1s")
        Duration baseBackoff();

        @WithDefault("10m")
        Duration maxBackoff();

        /**
         * Receivers that read Stripe before answering (bounded by stripe.timeout x attempts) need
         * more than a quick call; kept below the lease so a claim never outlives its delivery.
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
