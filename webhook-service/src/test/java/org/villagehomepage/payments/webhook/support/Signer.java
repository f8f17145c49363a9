package org.villagehomepage.payments.webhook.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test payloads as Stripe does (independent of the code under test). */
public final class Signer {

    /** {@code %test.stripe.webhook-secret} of the shared defaults. */
    public static final String TEST_SECRET = "whsec_test_emulator_secret";

    private Signer() {}

    public static String header(String payload) {
        return header(payload, Instant.now().getEpochSecond(), TEST_SECRET);
    }

    public static String header(String payload, long timestamp, String secret) {
        return "t=" + timestamp + ",v1=" + hmac(secret, timestamp + "." + payload);
    }

    public static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
