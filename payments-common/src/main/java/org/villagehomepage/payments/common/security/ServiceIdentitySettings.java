package org.villagehomepage.payments.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How this service proves who it is to the others and checks who calls it (docs/architecture.md,
 * "Trust model"). Two modes, chosen by what is configured:
 * <ul>
 * <li>local (./run.sh, tests): each service signs with its own key ({@code sign-key-location});
 * receivers verify a sender's token with that sender's public key, {@code <public-keys-dir>/<sender>.pem}.
 * <li>Kubernetes: each pod sends its projected ServiceAccount token for the receiver's audience
 * ({@code <token-dir>/<audience>}); receivers verify it against the cluster issuer's JWKS
 * ({@code jwks-location}) and read the sender from {@code sub} after {@code sender-prefix}.
 * </ul>
 */
@ConfigMapping(prefix = "payments.service-identity")
public interface ServiceIdentitySettings {

    /** This service's name: the sender of its tokens and the only audience it accepts. */
    @WithDefault("${quarkus.application.name}")
    String name();

    /** Expected {@code iss} of service tokens; never the user identity provider's issuer. */
    @WithDefault("https://services.payments.local")
    String issuer();

    /** {@code sub} = prefix + sender, e.g. {@code system:serviceaccount:village-homepage:} in Kubernetes. */
    Optional<String> senderPrefix();

    /** Local mode: directory of the senders' public keys, one {@code <sender>.pem} each. */
    Optional<String> publicKeysDir();

    /** Kubernetes mode: the cluster issuer's JWKS (URL or file). */
    Optional<String> jwksLocation();

    /** Kubernetes mode: CA certificate for the JWKS endpoint (the cluster's kube-root-ca.crt). */
    Optional<String> jwksTlsCertificatePath();

    /** Local mode: this service's own private key; no other service has it. */
    Optional<String> signKeyLocation();

    /** Kubernetes mode: directory of projected ServiceAccount tokens, one file per audience. */
    Optional<String> tokenDir();

    /** Lifetime of the tokens this service signs in local mode. */
    @WithDefault("5m")
    Duration tokenLifetime();

    /** Tokens living longer than this (exp - iat) are refused. */
    @WithDefault("1h")
    Duration maxTokenLifetime();

    /** Projected tokens are re-read this often (the kubelet rotates them before they expire). */
    @WithDefault("1m")
    Duration tokenFileRefresh();

    default String prefix() {
        return senderPrefix().orElse("");
    }
}
