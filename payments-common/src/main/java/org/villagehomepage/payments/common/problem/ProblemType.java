package org.villagehomepage.payments.common.problem;

import java.util.Optional;

/**
 * Every problem type the suite answers with: the slug of its {@code urn:problem:payments:<slug>}
 * type, its HTTP status and title. Clients branch on the slug, so a slug never changes meaning;
 * docs/problems.md lists them.
 */
public enum ProblemType {

    // Generic answers, also given for the framework's own refusals.
    BAD_REQUEST("bad-request", 400),
    VALIDATION("validation", 400),
    MALFORMED_JSON("malformed-json", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not-found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", 406),
    CONFLICT("conflict", 409),
    PAYLOAD_TOO_LARGE("payload-too-large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415),
    RATE_LIMITED("rate-limited", 429),
    INTERNAL("internal", 500),
    AUDIT_UNAVAILABLE("audit-unavailable", 503),
    /** A circuit breaker or bulkhead refused the call before it reached Stripe. */
    PAYMENT_PROVIDER_DOWN("payment-provider-unavailable", 503),
    /** Stripe was called and did not answer usably (historically 502 under the same slug). */
    PAYMENT_PROVIDER_UNAVAILABLE("payment-provider-unavailable", 502),
    INVALID_SUBJECT("invalid-subject", 403),
    ORIGIN_NOT_ALLOWED("origin-not-allowed", 403),

    // checkout-service
    UNKNOWN_CATEGORY("unknown-category", 422),
    CHECKOUT_PAUSED("checkout-paused", 503),
    USER_BANNED("user-banned", 403),
    PAYMENT_PROVIDER_MISMATCH("payment-provider-mismatch", 502),
    LISTING_NOT_PAYABLE("listing-not-payable", 409),
    LISTING_NOT_ACTIVE("listing-not-active", 409),
    BUMP_TOO_SOON("bump-too-soon", 409),
    PROMOTION_UNAVAILABLE("promotion-unavailable", 409),
    INVALID_EVENT("invalid-event", 400),
    INVALID_RESTORE("invalid-restore", 400),
    INVALID_IDEMPOTENCY_KEY("invalid-idempotency-key", 400),
    IDEMPOTENCY_KEY_IN_USE("idempotency-key-in-use", 409),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422),

    // webhook-service
    INVALID_SIGNATURE("invalid-signature", 400),
    MALFORMED_EVENT("malformed-event", 400),
    LIVEMODE_MISMATCH("livemode-mismatch", 400),
    UNAVAILABLE("unavailable", 503),
    PERIOD_TOO_LARGE("period-too-large", 400),
    RECONCILIATION_RUNNING("reconciliation-running", 409),
    RECONCILIATION_FAILED("reconciliation-failed", 502),
    RECOVERY_FAILED("recovery-failed", 502),
    DOCTOR_FAILED("doctor-failed", 502),

    // refund-service
    PAYMENT_NOT_FOUND("payment-not-found", 422),
    PAYMENT_NOT_REFUNDABLE("payment-not-refundable", 409),
    PAYMENT_MISMATCH("payment-mismatch", 409),
    REFUND_ALREADY_REQUESTED("refund-already-requested", 409),
    REFUND_EXCEEDS_REMAINING("refund-exceeds-remaining", 409),
    INVALID_TRANSITION("invalid-transition", 409),
    STRIPE_REFUND_FAILED("stripe-refund-failed", 502),
    NOT_BANNED("not-banned", 409),

    // audit-service
    BATCH_TOO_LARGE("batch-too-large", 400),
    SERVICE_MISMATCH("service-mismatch", 403);

    public static final String URN_PREFIX = "urn:problem:payments:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status) {
        this.slug = slug;
        this.status = status;
        this.title = Problem.title(status);
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return URN_PREFIX + slug;
    }

    /** The generic type the framework's own refusal with this status maps to, if there is one. */
    public static Optional<ProblemType> forStatus(int status) {
        return Optional.ofNullable(
                switch (status) {
                    case 400 -> BAD_REQUEST;
                    case 401 -> UNAUTHORIZED;
                    case 403 -> FORBIDDEN;
                    case 404 -> NOT_FOUND;
                    case 405 -> METHOD_NOT_ALLOWED;
                    case 406 -> NOT_ACCEPTABLE;
                    case 409 -> CONFLICT;
                    case 413 -> PAYLOAD_TOO_LARGE;
                    case 415 -> UNSUPPORTED_MEDIA_TYPE;
                    case 429 -> RATE_LIMITED;
                    default -> null;
                });
    }
}
