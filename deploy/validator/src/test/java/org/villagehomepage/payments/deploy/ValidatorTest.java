package org.villagehomepage.payments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorTest {

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: audit-service
              namespace: village-homepage
            spec:
              replicas: 1
              %s
              selector:
                matchLabels: {app: a}
              template:
                metadata:
                  labels: {app: a}
                spec:
                  containers:
                    - name: audit-service
                      image: village-homepage/audit-service:1
                      env:
                        - name: STRIPE_SECRET_KEY
                          value: x
            """;

    @Test
    void unknownFieldsAnywhereAreErrors() throws Exception {
        ManifestValidator v = new ManifestValidator(Path.of("."));
        var docs = ManifestValidator.readAll(DEPLOYMENT.formatted("strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0, maxSurgee: 2}}"));
        v.strict(ManifestValidator.YAML.treeToValue(docs.get(0), io.fabric8.kubernetes.api.model.apps.Deployment.class), "d", new java.util.IdentityHashMap<>());
        assertEquals(1, v.errors.size(), v.errors.toString());
        assertTrue(v.errors.get(0).contains("maxSurgee"));
    }

    @Test
    void suiteRulesCatchMissingProbesAndStripeKeyInAudit(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("deploy/k8s/secrets"));
        Files.writeString(repo.resolve("deploy/k8s/secrets/secrets.yaml"), "kind: Secret\nmetadata: {name: s}\nstringData: {k: CHANGE_ME}\n");
        Files.createDirectories(repo.resolve("deploy/prometheus/rules"));
        ManifestValidator v = new ManifestValidator(repo);
        v.validate(ManifestValidator.readAll(DEPLOYMENT.formatted("strategy: {type: Recreate}")), null);
        String all = String.join("\n", v.errors);
        assertTrue(all.contains("maxUnavailable 0"), all);
        assertTrue(all.contains("probes"), all);
        assertTrue(all.contains("gets Stripe credentials but does not need them"), all);
        assertTrue(all.contains("webhook-service: needs at least 2 replicas"), all);
        assertTrue(all.contains("no PrometheusRule"), all);
    }

    @Test
    void aDatabaseServiceNeedsItsMigrationInitContainerAndNoFlywayAtStart(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("deploy/k8s/secrets"));
        Files.writeString(repo.resolve("deploy/k8s/secrets/secrets.yaml"), "kind: Secret\nmetadata: {name: s}\nstringData: {k: CHANGE_ME}\n");
        Files.createDirectories(repo.resolve("deploy/prometheus/rules"));
        String config = """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: payments-config, namespace: village-homepage}
                data: {QUARKUS_FLYWAY_MIGRATE_AT_START: "true"}
                """;

        ManifestValidator without = new ManifestValidator(repo);
        without.validate(ManifestValidator.readAll(DEPLOYMENT.formatted("strategy: {type: Recreate}") + config), null);
        String all = String.join("\n", without.errors);
        assertTrue(all.contains("Deployment/audit-service: needs the init container migrate"), all);
        assertTrue(all.contains("ConfigMap/payments-config: QUARKUS_FLYWAY_MIGRATE_AT_START is set"), all);

        String withInit = DEPLOYMENT.formatted("strategy: {type: Recreate}").replace("      containers:\n", """
                      initContainers:
                        - name: migrate
                          image: village-homepage/checkout-service:1
                          command: ["java", "-cp", "quarkus-run.jar", "Main"]
                      containers:
                """);
        ManifestValidator wrong = new ManifestValidator(repo);
        wrong.validate(ManifestValidator.readAll(withInit), null);
        all = String.join("\n", wrong.errors);
        assertTrue(all.contains("init container migrate: image village-homepage/checkout-service:1 is not village-homepage/audit-service"), all);
        assertTrue(all.contains("init container migrate: must run " + Rules.SCHEMA_MIGRATION), all);
        assertTrue(all.contains("init container migrate: needs memory requests and limits"), all);
    }

    @Test
    void serviceIdentityRulesCatchASharedSigningKeyAndAMissingServiceAccount(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("deploy/k8s/secrets"));
        Files.writeString(repo.resolve("deploy/k8s/secrets/secrets.yaml"), "kind: Secret\nmetadata: {name: s}\nstringData: {k: CHANGE_ME}\n");
        Files.createDirectories(repo.resolve("deploy/prometheus/rules"));
        ManifestValidator v = new ManifestValidator(repo);
        String config = """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: payments-config, namespace: village-homepage}
                data: {SMALLRYE_JWT_SIGN_KEY_LOCATION: /etc/payments/jwt/service-signing-key.pem}
                """;
        v.validate(ManifestValidator.readAll(DEPLOYMENT.formatted("strategy: {type: Recreate}") + config), null);
        String all = String.join("\n", v.errors);
        assertTrue(all.contains("serviceAccountName must be audit-service"), all);
        assertTrue(all.contains("ServiceAccount audit-service is not rendered"), all);
        assertTrue(all.contains("automountServiceAccountToken must be false"), all);
        assertTrue(all.contains("SMALLRYE_JWT_SIGN_KEY_LOCATION is set"), all);
    }

    @Test
    void everyIngressRoutesRefundRequestsToRefundService(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("deploy/k8s/secrets"));
        Files.writeString(repo.resolve("deploy/k8s/secrets/secrets.yaml"), "kind: Secret\nmetadata: {name: s}\nstringData: {k: CHANGE_ME}\n");
        Files.createDirectories(repo.resolve("deploy/prometheus/rules"));
        ManifestValidator v = new ManifestValidator(repo);
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: payments, namespace: village-homepage}
                spec:
                  rules:
                    - host: pay.example
                      http:
                        paths:
                          - {path: /api/marketplace, pathType: Prefix, backend: {service: {name: checkout-service, port: {name: http}}}}
                          - {path: /webhooks/stripe, pathType: Exact, backend: {service: {name: webhook-service, port: {name: http}}}}
                """;
        v.validate(ManifestValidator.readAll(ingress), null);
        String all = String.join("\n", v.errors);
        assertTrue(all.contains("path /api/marketplace/refunds must route to refund-service"), all);
    }

    @Test
    void theConsoleIngressIsOperatorsOnly(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("deploy/k8s/secrets"));
        Files.writeString(repo.resolve("deploy/k8s/secrets/secrets.yaml"), "kind: Secret\nmetadata: {name: s}\nstringData: {k: CHANGE_ME}\n");
        Files.createDirectories(repo.resolve("deploy/prometheus/rules"));
        ManifestValidator v = new ManifestValidator(repo);
        String ingresses = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: payments, namespace: village-homepage}
                spec:
                  rules:
                    - host: pay.example
                      http:
                        paths:
                          - {path: /api/marketplace, pathType: Prefix, backend: {service: {name: checkout-service, port: {name: http}}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: ops-console, namespace: village-homepage}
                spec:
                  rules:
                    - host: pay.example
                      http:
                        paths:
                          - {path: /, pathType: Prefix, backend: {service: {name: ops-console, port: {name: http}}}}
                          - {path: /admin, pathType: Prefix, backend: {service: {name: refund-service, port: {name: http}}}}
                """;
        v.validate(ManifestValidator.readAll(ingresses), null);
        String all = String.join("\n", v.errors);
        assertTrue(all.contains("Ingress/ops-console: path /admin -> refund-service"), all);
        assertTrue(all.contains("whitelist-source-range"), all);
        assertTrue(all.contains("Ingress/ops-console: needs TLS"), all);
        assertTrue(all.contains("host pay.example must be the console's own"), all);
        assertTrue(!all.contains("Ingress/ops-console: path / -> ops-console is not public"), all);
    }

    @Test
    void metricNamesIgnoreFunctionsLabelsDurationsAndKeywords() {
        assertEquals(Set.of("homepage_webhooks_processing_lag_seconds_bucket"), MetricNames.names(
                "histogram_quantile(0.99, sum by (le, event_type) (rate(homepage_webhooks_processing_lag_seconds_bucket{job=\"w\"}[5m]))) > 2"));
        assertEquals(Set.of("a_total", "b_total"), MetricNames.names(
                "sum(increase(a_total[1h])) > 0 or sum(a_total unless a_total offset 1h) / on (job) group_left(x) b_total"));
        assertEquals(Set.of(), MetricNames.names("absent(up{job=\"audit-service\"})"));
    }

    @Test
    void exportedNamesFromScrapesAcceptHistogramSuffixes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("webhook.txt"), """
                # TYPE homepage_webhooks_ack_duration_seconds histogram
                homepage_webhooks_ack_duration_seconds_bucket{le="0.1"} 3
                homepage_webhooks_ack_duration_seconds_count 3
                homepage_webhooks_received_total{event_type="x"} 3.0
                """);
        var exported = MetricNames.fromScrapes(dir);
        assertTrue(exported.has("homepage_webhooks_ack_duration_seconds_sum"));
        assertTrue(exported.has("homepage_webhooks_received_total"));
        assertTrue(!exported.has("homepage_webhooks_received"));
    }
}
