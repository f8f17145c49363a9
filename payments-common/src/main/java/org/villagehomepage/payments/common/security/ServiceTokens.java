package org.villagehomepage.payments.common.security;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer token this service sends to another one: its own identity as sender ({@code sub}) and
 * the receiver as audience ({@code aud}), so a token captured by one receiver is worthless at any
 * other. Locally signed with this service's own key; in Kubernetes the kubelet's projected
 * ServiceAccount token for that audience. Cached per audience until shortly before renewal.
 */
@ApplicationScoped
public class ServiceTokens {

    private final ServiceIdentitySettings settings;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ServiceTokens(ServiceIdentitySettings settings) {
        this.settings = settings;
    }

    /** {@code Authorization} header value for a call to {@code audience} (a service name). */
    public String bearer(String audience) {
        Instant now = Instant.now();
        Cached cached = cache.get(audience);
        if (cached == null || now.isAfter(cached.renewAfter())) {
            cached = settings.tokenDir().isPresent() ? projected(audience, now) : signed(audience, now);
            cache.put(audience, cached);
        }
        return "Bearer " + cached.token();
    }

    private Cached signed(String audience, Instant now) {
        String key = settings.signKeyLocation()
                .orElseThrow(() -> new IllegalStateException("payments.service-identity.sign-key-location is not set"));
        String token = Jwt.issuer(settings.issuer())
                .subject(settings.prefix() + settings.name())
                .audience(audience)
                .issuedAt(now)
                .expiresAt(now.plus(settings.tokenLifetime()))
                .jws()
                .keyId(settings.name())
                .sign(key);
        return new Cached(token, now.plus(settings.tokenLifetime().dividedBy(2)));
    }

    private Cached projected(String audience, Instant now) {
        if (!ServiceNames.VALID.matcher(audience).matches()) {
            throw new IllegalArgumentException("invalid audience");
        }
        Path file = Path.of(settings.tokenDir().get(), audience);
        try {
            return new Cached(Files.readString(file).trim(), now.plus(settings.tokenFileRefresh()));
        } catch (IOException e) {
            throw new UncheckedIOException("no projected token for audience " + audience, e);
        }
    }

    private record Cached(String token, Instant renewAfter) {}
}
