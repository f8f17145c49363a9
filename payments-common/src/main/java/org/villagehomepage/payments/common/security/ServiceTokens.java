package org.villagehomepage.payments.common.security;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Short-lived JWTs with group {@code service} for calls between services, signed with the key in
 * {@code smallrye.jwt.sign.key.location}. One token is reused until shortly before it expires.
 */
@ApplicationScoped
public class ServiceTokens {

    private static final Duration LIFETIME = Duration.ofMinutes(5);

    private final String issuer;
    private final String serviceName;
    private volatile String token;
    private volatile Instant renewAfter = Instant.EPOCH;

    public ServiceTokens(@ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.issuer = issuer;
        this.serviceName = serviceName;
    }

    public String bearer() {
        Instant now = Instant.now();
        if (token == null || now.isAfter(renewAfter)) {
            token = Jwt.issuer(issuer)
                    .subject(serviceName)
                    .upn(serviceName)
                    .groups(Roles.SERVICE)
                    .expiresIn(LIFETIME)
                    .sign();
            renewAfter = now.plus(LIFETIME).minusSeconds(60);
        }
        return "Bearer " + token;
    }
}
