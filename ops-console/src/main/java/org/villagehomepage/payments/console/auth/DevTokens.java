package org.villagehomepage.payments.console.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.villagehomepage.payments.console.ConsoleConfig;

/**
 * The local login: a user token signed with the local user identity provider's key, exactly what
 * scripts/mint-token.sh mints, so the services accept it and audit the operator by name.
 */
@ApplicationScoped
public class DevTokens {

    public static final String COOKIE = "console_session";
    static final Pattern OPERATOR_ID = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    private final ConsoleConfig config;
    private final ObjectMapper json;
    private volatile PrivateKey key;

    public DevTokens(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    public boolean enabled() {
        return config.devLogin().enabled();
    }

    public String mint(String operatorId, boolean superAdmin) {
        if (!enabled()) {
            throw new IllegalStateException("dev login is disabled");
        }
        ConsoleConfig.DevLogin dev = config.devLogin();
        return Jwt.issuer(dev.issuer())
                .subject(operatorId)
                .upn(operatorId)
                .audience(dev.audience())
                .groups(superAdmin ? Operator.SUPER_ADMIN : "user")
                .expiresIn(dev.ttlSeconds())
                .jws()
                .sign(key());
    }

    /**
     * The operator a session cookie names, or null when absent, malformed or expired. The console
     * does not verify the signature: it holds no authority of its own, and every service verifies
     * the token it is handed.
     */
    public Operator read(String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return null;
        }
        String[] parts = cookie.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Map<?, ?> claims = json.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
            Object sub = claims.get("sub");
            Object exp = claims.get("exp");
            if (!(sub instanceof String id)
                    || !(exp instanceof Number expires)
                    || expires.longValue() <= Instant.now().getEpochSecond()) {
                return null;
            }
            Set<String> roles = new HashSet<>();
            if (claims.get("groups") instanceof List<?> groups) {
                groups.forEach(g -> roles.add(String.valueOf(g)));
            }
            return new Operator(id, Set.copyOf(roles), cookie);
        } catch (Exception e) {
            return null;
        }
    }

    private PrivateKey key() {
        if (key == null) {
            String location = config.devLogin()
                    .keyLocation()
                    .orElseThrow(() -> new IllegalStateException("console.dev-login.key-location is not set"));
            try {
                key = KeyUtils.decodePrivateKey(Files.readString(Path.of(location)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the dev login key at " + location);
            }
        }
        return key;
    }
}
