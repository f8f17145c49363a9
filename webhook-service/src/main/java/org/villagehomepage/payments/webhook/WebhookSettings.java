package org.villagehomepage.payments.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Settings of webhook-service ({@code webhook.*}, env {@code WEBHOOK_*}); the README lists them. */
@ConfigMapping(prefix = "webhook")
public interface WebhookSettings {

    /** How old a signed timestamp may be (Stripe's default tolerance). */
    @WithDefault("300s")
    Duration signatureTolerance();

    /** How often processed events are marked (lag metric) and the status gauges refreshed. */
    @WithDefault("5s")
    Duration trackingInterval();

    /**
     * Receivers whose outbox messages wrap the event as {@code {"events":[...]}}, so the relay sends
     * due ones many per request ({@code checkout} only: refund-service takes bare events). Off by
     * default: turn it on once every checkout-service replica runs a release that takes batches
     * (this one), or a rolling update would send batches to old replicas, which refuse them.
     */
    Optional<List<String>> batchedDestinations();

    Intake intake();

    Rejections rejections();

    Reconciliation reconciliation();

    Recovery recovery();

    Amounts amounts();

    Retention retention();

    interface Intake {
        /** Events stored in one transaction at most. */
        @WithDefault("64")
        int maxBatch();

        /**
         * Store statements running at once (each holds a pool connection for one round trip);
         * further events wait and join the next batch. Unset: 4, and at most the reactive pool's
         * size minus the connections left to the relay, the jobs and the admin API
         * ({@code EventBatcher.DEFAULT_IN_FLIGHT}).
         */
        OptionalInt maxInFlight();

        /** Extra wait for company before a batch starts when a slot is free; 0 = start at once. */
        @WithDefault("0ms")
        Duration linger();

        /** An event not stored within this time is answered 503 (Stripe retries). */
        @WithDefault("10s")
        Duration storeTimeout();
    }

    /** Audit records of refused deliveries, rate-limited so forgeries cannot flood the database. */
    interface Rejections {
        /** Records one source may write in a burst. */
        @WithDefault("5")
        int burstPerSource();

        /** Steady records per source per minute once the burst is spent. */
        @WithDefault("6")
        int perSourcePerMinute();

        /** Records per second for all sources together. */
        @WithDefault("20")
        int perSecond();

        /** Sources remembered at once; beyond this, refusals are only counted and logged. */
        @WithDefault("10000")
        int maxSources();
    }

    interface Reconciliation {
        @WithDefault("true")
        boolean enabled();

        /** Also used by the scheduler as {@code ${webhook.reconciliation.interval}}. */
        @WithDefault("10m")
        Duration interval();

        /** Listing starts this long before the checkpoint, for events Stripe made visible late. */
        @WithDefault("10m")
        Duration overlap();

        /** Where the very first run starts (no checkpoint yet). */
        @WithDefault("P3D")
        Duration initialLookback();

        /** Never further back than this (Stripe keeps events for 30 days). */
        @WithDefault("P30D")
        Duration maxLookback();

        /** A run holds the checkpoint row this long; a crashed run's claim expires. */
        @WithDefault("10m")
        Duration lease();

        @WithDefault("100")
        int pageSize();
    }

    interface Recovery {
        /** Default start of the PaymentIntent listing when the caller gives no {@code since}. */
        @WithDefault("P30D")
        Duration defaultLookback();

        /** A run looks at no more PaymentIntents than this. */
        @WithDefault("10000")
        int maxIntents();

        @WithDefault("5s")
        Duration checkoutTimeout();
    }

    /** Amount-level reconciliation (scripts/reconcile-amounts.sh; the daily job). */
    interface Amounts {
        /** The daily job; the endpoint works either way. */
        @WithDefault("true")
        boolean enabled();

        /** When the job runs (Quarkus cron, UTC): after the day's Stripe activity settled. */
        @WithDefault("0 30 3 * * ?")
        String cron();

        /** The job checks this many past days, up to yesterday (late refunds and disputes change old days). */
        @WithDefault("7")
        int days();

        /** Stripe objects one run reads at most. */
        @WithDefault("50000")
        int maxObjects();
    }

    /** Data minimisation of stored events (docs/data-retention.md). */
    interface Retention {
        @WithDefault("true")
        boolean enabled();

        /** Raw payloads are reduced to the fields the suite needs after this. */
        @WithDefault("P30D")
        java.time.Duration rawPayload();

        @WithDefault("1h")
        String every();

        @WithDefault("500")
        int batchSize();
    }
}
