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
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies a service token with SmallRye JWT and answers who sent it. The token must be signed by
 * the sender's own key (local mode: the key is chosen by the claimed sender, so one service's key
 * cannot speak for another) or by the cluster issuer (Kubernetes), carry the service issuer, this
 * service as audience, and an expiry within {@code max-token-lifetime}. RS256 only.
 */
@ApplicationScoped
public class ServiceTokenVerifier {

    /** Verified tokens remembered; a sender reuses one token per receiver for half its lifetime. */
    static final int CACHED_TOKENS = 256;

    private final ServiceIdentitySettings settings;
    private final Map<String, Optional<JWTAuthContextInfo>> bySender = new ConcurrentHashMap<>();
    /**
     * Tokens already verified, until their own expiry (without the verifier's grace period): each
     * RS256 check of a reused token cost a tenth of a receiver's CPU per request (issue 14). A
     * token is the same string or it is verified again.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private final LongAdder verifications = new LongAdder();
    private volatile JWTAuthContextInfo cluster;

    public ServiceTokenVerifier(ServiceIdentitySettings settings) {
        this.settings = settings;
    }

    /** The verified sender's service name; empty when the token is not a valid service token for us. */
    public Optional<String> sender(String token) {
        long now = Instant.now().getEpochSecond();
        Verified known = verified.get(token);
        if (known != null && now < known.expiresAt()) {
            return Optional.of(known.sender());
        }
        Verified fresh = verify(token);
        if (fresh == null) {
            verified.remove(token);
            return Optional.empty();
        }
        if (verified.size() >= CACHED_TOKENS) {
            verified.values().removeIf(v -> v.expiresAt() <= now);
            if (verified.size() >= CACHED_TOKENS) {
                verified.clear(); // more live tokens than senders reuse: start over rather than grow
            }
        }
        verified.put(token, fresh);
        return Optional.of(fresh.sender());
    }

    private Verified verify(String token) {
        verifications.increment();
        try {
            JWTAuthContextInfo context;
            if (settings.jwksLocation().isPresent()) {
                context = clusterContext();
            } else {
                // Unverified read only to choose the key; everything is verified with that key below.
                String claimed =
                        senderOf(new DefaultJWTParser().parseOnly(token).getSubject());
                if (claimed == null) {
                    return null;
                }
                Optional<JWTAuthContextInfo> found = bySender.computeIfAbsent(claimed, this::localContext);
                if (found.isEmpty()) {
                    return null;
                }
                context = found.get();
            }
            JsonWebToken jwt = new DefaultJWTParser(context).parse(token);
            String sender = senderOf(jwt.getSubject());
            return sender == null ? null : new Verified(sender, jwt.getExpirationTime());
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** Signature checks made, for the test that proves a reused token is checked once. */
    long verifications() {
        return verifications.sum();
    }

    private record Verified(String sender, long expiresAt) {}

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
