package org.villagehomepage.payments.common.testing;

import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Bearer tokens for tests: the good ones and each kind of bad one. */
public final class Tokens {

    private Tokens() {
    }

    public static String user(UUID userId) {
        return sign(userId.toString(), "user");
    }

    public static String admin() {
        return sign(UUID.randomUUID().toString(), "super_admin");
    }

    public static String service() {
        return sign("test-service", "service");
    }

    public static String withGroups(String subject, String... groups) {
        return sign(subject, groups);
    }

    public static String expired(UUID userId) {
        return "Bearer " + Jwt.issuer(TestKeys.ISSUER).subject(userId.toString()).groups("user")
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .jws().sign(TestKeys.pair().getPrivate());
    }

    public static String wrongIssuer(UUID userId) {
        return "Bearer " + Jwt.issuer("https://evil.example").subject(userId.toString()).groups("user")
                .expiresIn(600).jws().sign(TestKeys.pair().getPrivate());
    }

    public static String wrongKey(UUID userId) {
        return "Bearer " + Jwt.issuer(TestKeys.ISSUER).subject(userId.toString()).groups("user")
                .expiresIn(600).jws().sign(TestKeys.stranger().getPrivate());
    }

    /** An unsigned token ({@code alg: none}) claiming to be an admin. */
    public static String algNone() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String body = b64.encodeToString(("{\"iss\":\"" + TestKeys.ISSUER + "\",\"sub\":\"" + UUID.randomUUID()
                + "\",\"groups\":[\"super_admin\",\"user\"],\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        return "Bearer " + header + "." + body + ".";
    }

    private static String sign(String subject, String... groups) {
        return "Bearer " + Jwt.issuer(TestKeys.ISSUER).subject(subject).upn(subject)
                .groups(java.util.Set.of(groups)).expiresIn(3600).jws().sign(TestKeys.pair().getPrivate());
    }
}
