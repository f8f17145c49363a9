package org.villagehomepage.payments.webhook.signature;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Stripe's webhook signature check, by stripe-java's own {@link Webhook.Signature#verifyHeader},
 * tried with each configured endpoint secret (two are live during a rotation). It agrees with
 * Stripe's Node library on every shared vector (future timestamps accepted, so clock skew never
 * drops a real delivery); this class only adds the refusal reason that the metrics count.
 */
public final class SignatureVerifier {

    private final List<String> secrets;
    private final long toleranceSeconds;

    public SignatureVerifier(List<String> secrets, long toleranceSeconds) {
        this.secrets =
                secrets.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (this.secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one webhook secret is required");
        }
        this.toleranceSeconds = toleranceSeconds;
    }

    /** Empty when the delivery is authentic and fresh enough; otherwise why it is not. */
    public Optional<SignatureFailure> verify(String payload, String header, long nowEpochSeconds) {
        if (header == null || header.isEmpty()) {
            return Optional.of(SignatureFailure.MISSING_HEADER);
        }
        Clock at = Clock.fixed(Instant.ofEpochSecond(nowEpochSeconds), ZoneOffset.UTC);
        SignatureFailure failure = SignatureFailure.MISMATCH;
        for (String secret : secrets) {
            try {
                Webhook.Signature.verifyHeader(payload, header, secret, toleranceSeconds, at);
                return Optional.empty();
            } catch (SignatureVerificationException e) {
                failure = worst(failure, reasonOf(e));
            } catch (RuntimeException e) { // a timestamp that is not a number
                return Optional.of(SignatureFailure.MALFORMED_HEADER);
            }
        }
        return Optional.of(failure);
    }

    /**
     * stripe-java tells its refusals apart only by message; the verifier test pins each one, so a
     * library upgrade that rewords them fails the build instead of mislabelling the metric.
     */
    static SignatureFailure reasonOf(SignatureVerificationException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Timestamp outside the tolerance zone")) {
            return SignatureFailure.EXPIRED; // the signature matched: only its age is wrong
        }
        if (message.startsWith("No signatures found matching")) {
            return SignatureFailure.MISMATCH;
        }
        return SignatureFailure.MALFORMED_HEADER; // no timestamp, no v1 signature, unparsable header
    }

    /** Across secrets: an authentic but old delivery is "expired", whatever the other secrets say. */
    private static SignatureFailure worst(SignatureFailure current, SignatureFailure next) {
        if (current == SignatureFailure.EXPIRED || next == SignatureFailure.EXPIRED) {
            return SignatureFailure.EXPIRED;
        }
        return next == SignatureFailure.MALFORMED_HEADER ? next : current;
    }
}
