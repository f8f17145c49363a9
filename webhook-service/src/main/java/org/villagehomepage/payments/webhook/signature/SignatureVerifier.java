package org.villagehomepage.payments.webhook.signature;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature check, deciding as Stripe's own Node library decides: HMAC-SHA256 of
 * {@code t + "." + payload} with each endpoint secret, compared in constant time (lower-case hex,
 * case-sensitive) with every {@code v1} value; then the age check. Timestamps in the future are
 * accepted, as Stripe's libraries do, so clock skew never drops a real delivery. Pure logic.
 */
public final class SignatureVerifier {

    private static final String HMAC = "HmacSHA256";

    private final List<byte[]> secrets;
    private final long toleranceSeconds;

    public SignatureVerifier(List<String> secrets, long toleranceSeconds) {
        this.secrets = secrets.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
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
        SignatureHeader parsed = SignatureHeader.parse(header);
        OptionalLong timestamp = parsed.timestamp();
        if (timestamp.isEmpty() || parsed.signatures().isEmpty()) {
            return Optional.of(SignatureFailure.MALFORMED_HEADER);
        }
        byte[] signedPayload = (timestamp.getAsLong() + "." + payload).getBytes(StandardCharsets.UTF_8);
        if (!anyMatches(signedPayload, parsed.signatures())) {
            return Optional.of(SignatureFailure.MISMATCH);
        }
        if (toleranceSeconds > 0 && nowEpochSeconds - timestamp.getAsLong() > toleranceSeconds) {
            return Optional.of(SignatureFailure.EXPIRED);
        }
        return Optional.empty();
    }

    /** Every secret against every signature, without stopping early: the time says nothing. */
    private boolean anyMatches(byte[] signedPayload, List<String> signatures) {
        boolean matched = false;
        for (byte[] secret : secrets) {
            byte[] expected = HexFormat.of().formatHex(hmac(secret, signedPayload)).getBytes(StandardCharsets.US_ASCII);
            for (String signature : signatures) {
                if (signature != null) {
                    matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return matched;
    }

    private static byte[] hmac(byte[] secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
