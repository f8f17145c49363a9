package org.villagehomepage.payments.common.security;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies a service token with SmallRye JWT and answers who sent it. The token must be signed by
 * the sender's own key (local mode: the key is chosen by the claimed sender, so one service's key
 * cannot speak for another) or by the cluster issuer (Kubernetes), carry the service issuer, this
 * service as audience, and an expiry within {@code max-token-lifetime}. RS256 only.
 */
@ApplicationScoped
public class ServiceTokenVerifier {

    private final ServiceIdentitySettings settings;
    private final Map<String, Optional<JWTAuthContextInfo>> bySender = new ConcurrentHashMap<>();
    private volatile JWTAuthContextInfo cluster;

    public ServiceTokenVerifier(ServiceIdentitySettings settings) {
        this.settings = settings;
    }

    /** The verified sender's service name; empty when the token is not a valid service token for us. */
    public Optional<String> sender(String token) {
        try {
            JWTAuthContextInfo context;
            if (settings.jwksLocation().isPresent()) {
                context = clusterContext();
            } else {
                // Unverified read only to choose the key; everything is verified with that key below.
                String claimed =
                        senderOf(new DefaultJWTParser().parseOnly(token).getSubject());
                if (claimed == null) {
                    return Optional.empty();
                }
                Optional<JWTAuthContextInfo> found = bySender.computeIfAbsent(claimed, this::localContext);
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                context = found.get();
            }
            JsonWebToken verified = new DefaultJWTParser(context).parse(token);
            return Optional.ofNullable(senderOf(verified.getSubject()));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String senderOf(String subject) {
        String prefix = settings.prefix();
        if (subject == null || !subject.startsWith(prefix)) {
            return null;
        }
        String name = subject.substring(prefix.length());
        return ServiceNames.VALID.matcher(name).matches() ? name : null;
    }

    private Optional<JWTAuthContextInfo> localContext(String sender) {
        if (settings.publicKeysDir().isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(settings.publicKeysDir().get(), sender + ".pem");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            PublicKey key = KeyUtils.decodePublicKey(Files.readString(file));
            return Optional.of(context(new JWTAuthContextInfo(key, settings.issuer())));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private JWTAuthContextInfo clusterContext() {
        if (cluster == null) {
            JWTAuthContextInfo info =
                    new JWTAuthContextInfo(settings.jwksLocation().get(), settings.issuer());
            info.setPublicKeyLocation(settings.jwksLocation().get());
            settings.jwksTlsCertificatePath().ifPresent(info::setTlsCertificatePath);
            cluster = context(info);
        }
        return cluster;
    }

    private JWTAuthContextInfo context(JWTAuthContextInfo info) {
        info.setExpectedAudience(Set.of(settings.name()));
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        info.setMaxTimeToLiveSecs(settings.maxTokenLifetime().toSeconds());
        info.setRequiredClaims(Set.of("sub", "aud", "exp", "iat"));
        return info;
    }
}
