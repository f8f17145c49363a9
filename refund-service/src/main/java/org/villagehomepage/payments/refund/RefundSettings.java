package org.villagehomepage.payments.refund;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "refunds")
public interface RefundSettings {

    /** Automatic requests this soon after the payment are refunded at once; later ones wait for review. */
    @WithDefault("24h")
    Duration automaticWindow();

    /** Chargebacks of one user that ban them (Policy P3). */
    @WithDefault("2")
    int banThreshold();

    /** An approved request untouched this long lost its Stripe call (crash); the recovery job drives it again. */
    @WithDefault("2m")
    Duration stuckAfter();

    /** Most approved requests one recovery run drives (each costs up to two Stripe calls). */
    @WithDefault("50")
    int recoveryBatch();

    /** Longest wait before the recovery job asks Stripe again about a refund that is still pending. */
    @WithDefault("6h")
    Duration recoveryMaxBackoff();

    /** Largest page of the admin list. */
    @WithDefault("500")
    int maxPage();
}
