package org.villagehomepage.payments.checkout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Everything checkout-service reads under {@code checkout.*} (env {@code CHECKOUT_*}). */
@ConfigMapping(prefix = "checkout")
public interface CheckoutSettings {

    /** Browser origins allowed to call the API (also the CORS allowlist); env CHECKOUT_ALLOWED_ORIGINS. */
    List<String> allowedOrigins();

    /**
     * Off ({@code CHECKOUT_ACCEPTING_PAYMENTS=false}): new checkouts and promotions answer 503
     * whatever the admin switch says; webhooks, refunds and reconciliation keep working.
     */
    @WithDefault("true")
    boolean acceptingPayments();

    /** How long a paid or free listing stays active. */
    @WithDefault("P30D")
    Duration listingLifetime();

    /** The currency of promotion prices; posting fees carry their category's currency. */
    @WithDefault("usd")
    String currency();

    Promotions promotions();

    RateLimit rateLimit();

    Idempotency idempotency();

    Jobs jobs();

    interface Promotions {
        @WithDefault("500")
        long featuredPrice();

        @WithDefault("P7D")
        Duration featuredDuration();

        @WithDefault("200")
        long bumpPrice();

        /** Minimum time between two paid bumps of one listing. */
        @WithDefault("PT24H")
        Duration bumpInterval();
    }

    /** Per user, per replica: a token bucket over checkout and promote requests. */
    interface RateLimit {
        @WithDefault("30")
        int capacity();

        /** Time to refill the whole bucket. */
        @WithDefault("PT1M")
        Duration period();
    }

    interface Idempotency {
        /** A request holding a key longer than this is presumed dead and its key may be taken over. */
        @WithDefault("PT1M")
        Duration inFlightLease();

        /** Keys are forgotten after this. */
        @WithDefault("PT24H")
        Duration retention();
    }

    interface Jobs {
        /** Period of the expiry jobs (listings, featured promotions, idempotency keys); {@code off} disables them. */
        @WithDefault("1m")
        String every();

        /** Rows per job run and transaction. */
        @WithDefault("500")
        int batchSize();
    }
}
