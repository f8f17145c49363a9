package org.villagehomepage.payments.common.testing;

import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/** Bearer tokens for tests: the good ones and each kind of bad one. */
public final class Tokens {

    private Tokens() {}

    public static String user(UUID userId) {
        return sign(userId.toString(), "user");
    }

    public static String admin() {
        return sign(UUID.randomUUID().toString(), "super_admin");
    }

    public static String withGroups(String subject, String... groups) {
        return sign(subject, groups);
    }

    /** A service token as {@code sender} sends it to {@code audience}, signed with the sender's own key. */
    public static String service(String sender, String audience) {
        return serviceSignedWith(sender, audience, TestKeys.service(sender).getPrivate());
    }

    /** A token claiming to be {@code sender}, signed with someone else's key (a forgery). */
    public static String serviceSignedWith(String sender, String audience, PrivateKey key) {
        var claims = Jwt.issuer(TestKeys.SERVICE_ISSUER).subject(sender);
        if (audience != null) {
            claims.audience(audience);
        }
        return "Bearer " + claims.expiresIn(300).jws().keyId(sender).sign(key);
    }

    public static String expiredService(String sender, String audience) {
        return "Bearer "
                + Jwt.issuer(TestKeys.SERVICE_ISSUER)
                        .subject(sender)
                        .audience(audience)
                        .issuedAt(Instant.now().minusSeconds(900))
                        .expiresAt(Instant.now().minusSeconds(600))
                        .jws()
                        .keyId(sender)
                        .sign(TestKeys.service(sender).getPrivate());
    }

    /** What a leaked user identity provider key could mint: a "service" token with the user issuer. */
    public static String serviceFromUserIdp(String sender, String audience) {
        return "Bearer "
                + Jwt.issuer(TestKeys.ISSUER)
                        .subject(sender)
                        .upn(sender)
                        .groups(Set.of("service", "super_admin"))
                        .audience(audience)
                        .expiresIn(300)
                        .jws()
                        .sign(TestKeys.pair().getPrivate());
    }

    /** What one service's key could mint: a super_admin token in the user identity provider's name. */
    public static String adminFromServiceKey(String service) {
        return "Bearer "
                + Jwt.issuer(TestKeys.ISSUER)
                        .subject(UUID.randomUUID().toString())
                        .groups(Set.of("super_admin", "user"))
                        .audience(TestKeys.USER_AUDIENCE)
                        .expiresIn(300)
                        .jws()
                        .sign(TestKeys.service(service).getPrivate());
    }

    /** A properly signed user token without the configured audience. */
    public static String userWithoutAudience(UUID userId) {
        return "Bearer "
                + Jwt.issuer(TestKeys.ISSUER)
                        .subject(userId.toString())
                        .groups(Set.of("user"))
                        .expiresIn(600)
                        .jws()
                        .sign(TestKeys.pair().getPrivate());
    }

    /** A properly signed user token for another audience. */
    public static String userForAudience(UUID userId, String audience) {
        return "Bearer "
                + Jwt.issuer(TestKeys.ISSUER)
                        .subject(userId.toString())
                        .groups(Set.of("user"))
                        .audience(audience)
                        .expiresIn(600)
                        .jws()
                        .sign(TestKeys.pair().getPrivate());
    }

    public static String expired(UUID userId) {
        return "Bearer "
                + Jwt.issuer(TestKeys.ISSUER)
                        .subject(userId.toString())
                        .groups("user")
                        .audience(TestKeys.USER_AUDIENCE)
                        .issuedAt(Instant.now().minusSeconds(7200))
                        .expiresAt(Instant.now().minusSeconds(3600))
                        .jws()
                        .sign(TestKeys.pair().getPrivate());
    }

    public static String wrongIssuer(UUID userId) {
        return "Bearer "
                + Jwt.issuer("https://evil.example")
                        .subject(userId.toString())
                        .groups("user")
                        .audience(TestKeys.USER_AUDIENCE)
                        .expiresIn(600)
                        .jws()
                        .sign(TestKeys.pair().getPrivate());
    }

    public static String wrongKey(UUID userId) {
        return "Bearer "
                + Jwt.issuer(TestKeys.ISSUER)
                        .subject(userId.toString())
                        .groups("user")
                        .audience(TestKeys.USER_AUDIENCE)
                        .expiresIn(600)
                        .jws()
                        .sign(TestKeys.stranger().getPrivate());
    }

    /** An unsigned token ({@code alg: none}) claiming to be an admin. */
    public static String algNone() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String body = b64.encodeToString(("{\"iss\":\"" + TestKeys.ISSUER + "\",\"sub\":\"" + UUID.randomUUID()
                        + "\",\"aud\":\"" + TestKeys.USER_AUDIENCE + "\",\"groups\":[\"super_admin\",\"user\"],\"exp\":"
                        + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        return "Bearer " + header + "." + body + ".";
    }

    private static String sign(String subject, String... groups) {
        return "Bearer "
                + Jwt.issuer(TestKeys.ISSUER)
                        .subject(subject)
                        .upn(subject)
                        .audience(TestKeys.USER_AUDIENCE)
                        .groups(Set.of(groups))
                        .expiresIn(3600)
                        .jws()
                        .sign(TestKeys.pair().getPrivate());
    }
}
