package org.villagehomepage.payments.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds Stripe's {@code Stripe-Signature} header: {@code t=<unix>,v1=<hmac>[,v1=<hmac of second secret>]}. */
final class WebhookSignature {
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

    private WebhookSignature() {}

    static String header(long timestampSeconds, String payload, List<String> secrets) {
        StringBuilder sb = new StringBuilder("t=").append(timestampSeconds);
        for (String secret : secrets) {
            sb.append(",v1=").append(hmacHex(secret, timestampSeconds + "." + payload));
        }
        return sb.toString();
    }

    /** The key is the whole secret string, "whsec_" prefix included, as Stripe's libraries use it. */
    static String hmacHex(String secret, String signedPayload) {
        try {
            Mac mac = MAC.get(); // looked up once per thread, not per signature
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signedPayload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
