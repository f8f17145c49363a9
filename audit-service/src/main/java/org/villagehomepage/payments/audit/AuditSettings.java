package org.villagehomepage.payments.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Period;
import java.util.List;

/** Everything audit-service reads under {@code audit.*} (env {@code AUDIT_*}). */
@ConfigMapping(prefix = "audit")
public interface AuditSettings {

    Intake intake();

    Partitions partitions();

    Retention retention();

    Chain chain();

    Query query();

    Detection detection();

    interface Intake {
        /** Largest batch accepted by {@code POST /internal/audit/events} (the 256 KiB body limit usually binds first). */
        @WithDefault("1000")
        int maxBatch();

        /** Events claiming to occur further in the future than this are refused (clock skew). */
        @WithDefault("1h")
        Duration maxClockSkew();
    }

    interface Partitions {
        /** Monthly partitions kept ready beyond the current month. */
        @WithDefault("3")
        int monthsAhead();

        /** How often the partitions are (re)ensured; read by the scheduler. */
        String checkEvery();
    }

    interface Retention {
        /** Entries are dropped (whole months) once older than this; at least 12 months. */
        @WithDefault("P7Y")
        Period horizon();

        /** When the retention job runs (Quartz cron, or {@code off}). */
        String cron();
    }

    interface Chain {
        /** When the whole chain is verified in the background (Quartz cron, or {@code off}). */
        String verifyCron();
    }

    interface Query {
        @WithDefault("100")
        int defaultPageSize();

        @WithDefault("1000")
        int maxPageSize();

        /** Upper bound for {@code days} of the per-user activity query. */
        @WithDefault("3650")
        int maxDays();
    }

    interface Detection {
        /** How often the rules run (duration, or {@code off}). */
        String every();

        @WithDefault("10m")
        Duration checkoutWindow();

        /** More than this many checkout attempts by one user in the window is a finding. */
        @WithDefault("5")
        int maxCheckoutAttempts();

        @WithDefault("checkout.attempted,promotion.attempted")
        List<String> attemptActions();

        /** More than this many failed or denied checkout steps by one user in the window. */
        @WithDefault("3")
        int maxCheckoutFailures();

        /** Actions whose first segment is one of these count as checkout steps for failures. */
        @WithDefault("checkout,promotion,payment")
        List<String> failureDomains();

        @WithDefault("10m")
        Duration signatureWindow();

        /** More than this many {@code webhook.rejected} from one source IP in the window. */
        @WithDefault("5")
        int maxSignatureFailures();

        @WithDefault("1h")
        Duration rateWindow();

        /** refund.processed / payment.succeeded over the rate window, in percent. */
        @WithDefault("10")
        int maxRefundRatePercent();

        /** Below this many payments in the window the refund rate is not judged. */
        @WithDefault("20")
        int minPaymentsForRefundRate();

        /*
         * Percentages and volumes are read as given, without a constraint: a @Min on this mapping
         * made Quarkus validate the configuration at start, which took audit-service from 0.58-0.61 s
         * to 0.78-0.82 s "started in" (docs/benchmarks.md, 2026-11-30). Below zero means nothing.
         */
        /** Non-successful webhook.* entries / all webhook.* entries over the rate window, in percent. */
        @WithDefault("5")
        int maxWebhookFailurePercent();

        @WithDefault("20")
        int minWebhooksForFailureRate();
    }
}
