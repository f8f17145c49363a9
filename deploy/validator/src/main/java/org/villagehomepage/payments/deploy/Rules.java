package org.villagehomepage.payments.deploy;

import static org.villagehomepage.payments.deploy.ManifestValidator.JSON;
import static org.villagehomepage.payments.deploy.ManifestValidator.YAML;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The suite's deployment rules, checked on one rendered overlay. */
final class Rules {

    private Rules() {
    }

    static void check(ManifestValidator v, Map<String, HasMetadata> objects, Path rulesOut) throws IOException {
        List<String> errors = v.errors;
        Map<String, ConfigMap> configMaps = new HashMap<>();
        Map<String, Secret> secrets = new HashMap<>();
        Map<String, Deployment> deployments = new HashMap<>();
        Map<String, Service> services = new HashMap<>();
        for (HasMetadata o : objects.values()) {
            String n = o.getMetadata().getName();
            if (o instanceof ConfigMap c) configMaps.put(n, c);
            if (o instanceof Secret s) secrets.put(n, s);
            if (o instanceof Deployment d) deployments.put(n, d);
            if (o instanceof Service s) services.put(n, s);
        }
        // Secrets an overlay leaves out (prod) are created with kubectl; their names and keys are
        // the placeholders' in deploy/k8s/secrets/secrets.yaml.
        Map<String, Set<String>> secretKeys = new HashMap<>();
        for (JsonNode doc : ManifestValidator.readAll(Files.readString(v.repo.resolve("deploy/k8s/secrets/secrets.yaml")))) {
            Set<String> keys = new HashSet<>();
            doc.path("stringData").fieldNames().forEachRemaining(keys::add);
            secretKeys.put(doc.path("metadata").path("name").asText(), keys);
        }
        for (Secret s : secrets.values()) {
            String id = "Secret/" + s.getMetadata().getName();
            Map<String, String> data = s.getStringData() == null ? Map.of() : s.getStringData();
            if (s.getData() != null && !s.getData().isEmpty()) {
                errors.add(id + ": use stringData placeholders, not data");
            }
            data.forEach((k, val) -> {
                if (!k.equals("username") && !val.contains("CHANGE_ME")) {
                    errors.add(id + ": key " + k + " is not a CHANGE_ME placeholder: real secrets are never committed");
                }
            });
            if (!secretKeys.containsKey(s.getMetadata().getName())) {
                errors.add(id + ": not in deploy/k8s/secrets/secrets.yaml");
            }
        }

        boolean sawPrometheusRule = false;
        for (Deployment d : deployments.values()) {
            String name = d.getMetadata().getName();
            String id = "Deployment/" + name;
            RollingUpdateDeployment ru = ManifestValidator.rolling(d);
            if (!"RollingUpdate".equals(d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getType()) || ru == null
                    || ManifestValidator.intOrString(ru.getMaxUnavailable().getValue()) != 0
                    || ManifestValidator.intOrString(ru.getMaxSurge().getValue()) != 1) {
                errors.add(id + ": strategy must be RollingUpdate with maxUnavailable 0, maxSurge 1");
            }
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            if (!d.getSpec().getSelector().getMatchLabels().entrySet().stream()
                    .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())))) {
                errors.add(id + ": selector does not match the pod template labels");
            }
            Long grace = pod.getTerminationGracePeriodSeconds();
            if (grace == null || grace < 30) {
                errors.add(id + ": terminationGracePeriodSeconds must be >= 30 so in-flight requests finish");
            }
            for (Container c : pod.getContainers()) {
                String cid = id + " container " + c.getName();
                if (!ManifestValidator.probe(c.getStartupProbe(), "/q/health/started")
                        || !ManifestValidator.probe(c.getReadinessProbe(), "/q/health/ready")
                        || !ManifestValidator.probe(c.getLivenessProbe(), "/q/health/live")) {
                    errors.add(cid + ": needs startup, readiness and liveness probes on /q/health/{started,ready,live}");
                }
                if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null) {
                    errors.add(cid + ": needs a preStop hook");
                }
                if (c.getResources() == null || c.getResources().getRequests() == null
                        || c.getResources().getRequests().get("memory") == null
                        || c.getResources().getLimits() == null || c.getResources().getLimits().get("memory") == null) {
                    errors.add(cid + ": needs memory requests and limits");
                }
                if (!c.getImage().startsWith("village-homepage/" + name + ":")) {
                    errors.add(cid + ": image " + c.getImage() + " is not village-homepage/" + name);
                }
                for (String cm : ManifestValidator.configMapsUsed(c)) {
                    if (!configMaps.containsKey(cm)) errors.add(cid + ": envFrom ConfigMap " + cm + " is not rendered");
                }
                boolean stripe = false;
                for (EnvVar e : c.getEnv()) {
                    if (e.getName().startsWith("STRIPE_")) stripe = true;
                    if (e.getValueFrom() == null) continue;
                    var sk = e.getValueFrom().getSecretKeyRef();
                    if (sk != null) {
                        if (STRIPE_SECRET_NAME.equals(sk.getName())) stripe = true;
                        Set<String> keys = secretKeys.get(sk.getName());
                        if (keys == null || !keys.contains(sk.getKey())) {
                            errors.add(cid + ": env " + e.getName() + " refers to unknown Secret key " + sk.getName() + "/" + sk.getKey());
                        }
                    }
                    var ck = e.getValueFrom().getConfigMapKeyRef();
                    if (ck != null && (!configMaps.containsKey(ck.getName())
                            || !configMaps.get(ck.getName()).getData().containsKey(ck.getKey()))) {
                        errors.add(cid + ": env " + e.getName() + " refers to unknown ConfigMap key " + ck.getName() + "/" + ck.getKey());
                    }
                }
                if (stripe && !ManifestValidator.STRIPE_USERS.contains(name)) {
                    errors.add(cid + ": gets Stripe credentials but does not need them");
                }
                List<String> env = ManifestValidator.envNames(c);
                if (ManifestValidator.STRIPE_USERS.contains(name) && !env.contains("STRIPE_SECRET_KEY")) {
                    errors.add(cid + ": needs STRIPE_SECRET_KEY");
                }
                if (name.equals("webhook-service") != env.contains("STRIPE_WEBHOOK_SECRET")) {
                    errors.add(cid + ": STRIPE_WEBHOOK_SECRET belongs to webhook-service only");
                }
            }
            if (DATABASE_SERVICES.contains(name)) checkMigration(name, id, pod, configMaps, secretKeys, errors);
            checkServiceIdentity(objects, name, id, pod, errors);
            if (pod.getVolumes() != null) {
                pod.getVolumes().stream().filter(vol -> vol.getSecret() != null)
                        .filter(vol -> !secretKeys.containsKey(vol.getSecret().getSecretName()))
                        .forEach(vol -> errors.add(id + ": volume from unknown Secret " + vol.getSecret().getSecretName()));
            }
        }

        for (ConfigMap cm : configMaps.values()) {
            if (cm.getData() == null) continue;
            cm.getData().keySet().stream()
                    .filter(k -> k.startsWith("QUARKUS_FLYWAY_") || k.equals("QUARKUS_DATASOURCE_JDBC_URL"))
                    .forEach(k -> errors.add("ConfigMap/" + cm.getMetadata().getName() + ": " + k
                            + " is set, but the services have no Flyway or JDBC datasource (the init container migrate runs the migrations)"));
        }

        Deployment webhook = deployments.get("webhook-service");
        if (webhook == null || webhook.getSpec().getReplicas() == null || webhook.getSpec().getReplicas() < 2) {
            errors.add("Deployment/webhook-service: needs at least 2 replicas");
        }
        boolean pdb = objects.values().stream().filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast)
                .anyMatch(p -> webhook != null && webhook.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                        .containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()));
        if (!pdb) {
            errors.add("webhook-service: no PodDisruptionBudget selects its pods");
        }
        for (String svc : List.of("checkout-service", "webhook-service", "refund-service", "audit-service")) {
            if (!deployments.containsKey(svc)) errors.add("Deployment/" + svc + ": missing");
            if (!services.containsKey(svc)) errors.add("Service/" + svc + ": missing");
        }

        for (Service s : services.values()) {
            String id = "Service/" + s.getMetadata().getName();
            Deployment d = deployments.values().stream().filter(dep -> dep.getSpec().getTemplate().getMetadata().getLabels()
                    .entrySet().containsAll(s.getSpec().getSelector().entrySet())).findFirst().orElse(null);
            if (d == null) {
                errors.add(id + ": selector matches no Deployment");
                continue;
            }
            for (ServicePort p : s.getSpec().getPorts()) {
                String target = p.getTargetPort() == null ? null : String.valueOf(p.getTargetPort().getValue());
                boolean ok = d.getSpec().getTemplate().getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                        .anyMatch(cp -> Objects.equals(cp.getName(), target) || String.valueOf(cp.getContainerPort()).equals(target));
                if (!ok) errors.add(id + ": targetPort " + target + " is no container port of " + d.getMetadata().getName());
            }
        }

        for (HasMetadata o : objects.values()) {
            if (o instanceof Ingress ing && ManifestValidator.CONSOLE.equals(ing.getMetadata().getName())) {
                checkConsoleIngress(ing, objects, errors);
            } else if (o instanceof Ingress ing) {
                Map<String, String> routed = new HashMap<>();
                ManifestValidator.paths(ing).forEach(p -> routed.put(p.getPath(),
                        p.getBackend().getService() == null ? null : p.getBackend().getService().getName()));
                ManifestValidator.PUBLIC_PATHS.forEach((path, svc) -> {
                    if (!svc.equals(routed.get(path))) {
                        errors.add("Ingress/" + ing.getMetadata().getName() + ": path " + path + " must route to " + svc);
                    }
                });
                for (HTTPIngressPath p : ManifestValidator.paths(ing)) {
                    String backend = p.getBackend().getService() == null ? null : p.getBackend().getService().getName();
                    if (!Objects.equals(ManifestValidator.PUBLIC_PATHS.get(p.getPath()), backend)) {
                        errors.add("Ingress/" + ing.getMetadata().getName() + ": path " + p.getPath() + " -> " + backend
                                + " is not public (only " + ManifestValidator.PUBLIC_PATHS + ")");
                    }
                }
            }
            if (o instanceof ServiceMonitor sm) {
                if (sm.getSpec().getEndpoints().stream().noneMatch(e -> "/q/metrics".equals(e.getPath()))) {
                    errors.add("ServiceMonitor/" + sm.getMetadata().getName() + ": no /q/metrics endpoint");
                }
            }
            if (o instanceof ConfigMap cm && "1".equals(cm.getMetadata().getLabels() == null ? null : cm.getMetadata().getLabels().get("grafana_dashboard"))) {
                cm.getData().forEach((file, json) -> {
                    try {
                        if (!JSON.readTree(json).path("panels").isArray()) errors.add("ConfigMap/" + cm.getMetadata().getName() + ": " + file + " has no panels");
                    } catch (IOException e) {
                        errors.add("ConfigMap/" + cm.getMetadata().getName() + ": " + file + " is not JSON: " + e.getMessage());
                    }
                });
            }
            if (o instanceof PrometheusRule pr) {
                sawPrometheusRule = true;
                checkPrometheusRule(v, pr, rulesOut);
            }
        }
        if (!sawPrometheusRule) {
            errors.add("no PrometheusRule rendered");
        }
    }

    static final String STRIPE_SECRET_NAME = ManifestValidator.STRIPE_SECRET;

    static final Set<String> DATABASE_SERVICES = Set.of("checkout-service", "webhook-service", "refund-service", "audit-service");
    static final String SCHEMA_MIGRATION = "org.villagehomepage.payments.common.migration.SchemaMigration";

    /**
     * Issue 14: a service does not migrate its schema at start; the init container {@code migrate}
     * does, from the service's own image and as its own role, before the service starts.
     */
    static void checkMigration(String name, String id, PodSpec pod, Map<String, ConfigMap> configMaps,
            Map<String, Set<String>> secretKeys, List<String> errors) {
        Container migrate = pod.getInitContainers() == null ? null
                : pod.getInitContainers().stream().filter(c -> "migrate".equals(c.getName())).findFirst().orElse(null);
        if (migrate == null) {
            errors.add(id + ": needs the init container migrate (" + SCHEMA_MIGRATION + " before the service starts)");
            return;
        }
        String cid = id + " init container migrate";
        if (migrate.getImage() == null || !migrate.getImage().startsWith("village-homepage/" + name + ":")) {
            errors.add(cid + ": image " + migrate.getImage() + " is not village-homepage/" + name + " (its migrations are in its own image)");
        }
        if (migrate.getCommand() == null || !migrate.getCommand().contains(SCHEMA_MIGRATION)) {
            errors.add(cid + ": must run " + SCHEMA_MIGRATION);
        }
        if (migrate.getResources() == null || migrate.getResources().getRequests() == null
                || migrate.getResources().getRequests().get("memory") == null
                || migrate.getResources().getLimits() == null || migrate.getResources().getLimits().get("memory") == null) {
            errors.add(cid + ": needs memory requests and limits");
        }
        for (String cm : ManifestValidator.configMapsUsed(migrate)) {
            if (!configMaps.containsKey(cm)) errors.add(cid + ": envFrom ConfigMap " + cm + " is not rendered");
        }
        for (EnvVar e : migrate.getEnv()) {
            if (e.getName().startsWith("STRIPE_")) errors.add(cid + ": gets " + e.getName() + " but migrations need no Stripe credentials");
            var sk = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
            if (sk == null) continue;
            if (!(name + "-db").equals(sk.getName())) {
                errors.add(cid + ": env " + e.getName() + " comes from Secret " + sk.getName() + ", not the service's own role (" + name + "-db)");
            }
            Set<String> keys = secretKeys.get(sk.getName());
            if (keys == null || !keys.contains(sk.getKey())) {
                errors.add(cid + ": env " + e.getName() + " refers to unknown Secret key " + sk.getName() + "/" + sk.getKey());
            }
        }
    }

    /**
     * Issue 16: the operator console has its own Ingress on its own host (never a public host),
     * routes nothing but the console, terminates TLS and admits only the operators' network.
     */
    static void checkConsoleIngress(Ingress ing, Map<String, HasMetadata> objects, List<String> errors) {
        String id = "Ingress/" + ing.getMetadata().getName();
        for (HTTPIngressPath p : ManifestValidator.paths(ing)) {
            String backend = p.getBackend().getService() == null ? null : p.getBackend().getService().getName();
            if (!ManifestValidator.CONSOLE.equals(backend)) {
                errors.add(id + ": path " + p.getPath() + " -> " + backend + ": the console's Ingress routes to ops-console only");
            }
        }
        Map<String, String> annotations = ing.getMetadata().getAnnotations() == null ? Map.of() : ing.getMetadata().getAnnotations();
        String range = annotations.get("nginx.ingress.kubernetes.io/whitelist-source-range");
        if (range == null || range.isBlank() || range.contains("0.0.0.0/0")) {
            errors.add(id + ": needs nginx.ingress.kubernetes.io/whitelist-source-range limited to the operators' network");
        }
        if (ing.getSpec().getTls() == null || ing.getSpec().getTls().isEmpty()) {
            errors.add(id + ": needs TLS");
        }
        Set<String> publicHosts = new HashSet<>();
        objects.values().stream().filter(Ingress.class::isInstance).map(Ingress.class::cast)
                .filter(other -> !ManifestValidator.CONSOLE.equals(other.getMetadata().getName()))
                .forEach(other -> other.getSpec().getRules().forEach(r -> publicHosts.add(r.getHost())));
        for (IngressRule r : ing.getSpec().getRules()) {
            if (r.getHost() == null || publicHosts.contains(r.getHost())) {
                errors.add(id + ": host " + r.getHost() + " must be the console's own, not a public one");
            }
        }
    }
    static final String SA_PREFIX = "system:serviceaccount:village-homepage:";

    /**
     * Issue 12: each service runs as its own ServiceAccount, mounts no Kubernetes API token, and
     * presents only projected, audience-bound tokens whose audiences are the other services; no
     * service signing key is configured or mounted anywhere.
     */
    static void checkServiceIdentity(Map<String, HasMetadata> objects, String name, String id, PodSpec pod, List<String> errors) {
        if (!name.equals(pod.getServiceAccountName())) {
            errors.add(id + ": serviceAccountName must be " + name + " (one ServiceAccount per service)");
        }
        boolean account = objects.values().stream().anyMatch(o -> o instanceof io.fabric8.kubernetes.api.model.ServiceAccount sa
                && name.equals(sa.getMetadata().getName()));
        if (!account) {
            errors.add(id + ": ServiceAccount " + name + " is not rendered");
        }
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            errors.add(id + ": automountServiceAccountToken must be false (no Kubernetes API token)");
        }
        if (pod.getVolumes() != null) {
            for (var vol : pod.getVolumes()) {
                if (vol.getProjected() == null) continue;
                for (var source : vol.getProjected().getSources()) {
                    var token = source.getServiceAccountToken();
                    if (token == null) continue;
                    String audience = token.getAudience();
                    if (audience == null || audience.equals(name) || !List.of("checkout-service", "webhook-service",
                            "refund-service", "audit-service").contains(audience)) {
                        errors.add(id + ": projected token audience " + audience + " is not another service of the suite");
                    }
                    if (token.getExpirationSeconds() == null || token.getExpirationSeconds() > 3600) {
                        errors.add(id + ": projected token for " + audience + " must expire within 3600 s");
                    }
                }
            }
        }
        for (Container c : pod.getContainers()) {
            for (String env : ManifestValidator.envNames(c)) {
                if (env.equals("SMALLRYE_JWT_SIGN_KEY_LOCATION") || env.equals("PAYMENTS_SERVICE_IDENTITY_SIGN_KEY_LOCATION")) {
                    errors.add(id + ": " + env + " is set: services have no signing key in Kubernetes");
                }
            }
        }
        for (HasMetadata o : objects.values()) {
            if (o instanceof ConfigMap cm && cm.getData() != null) {
                for (String key : List.of("SMALLRYE_JWT_SIGN_KEY_LOCATION", "PAYMENTS_SERVICE_IDENTITY_SIGN_KEY_LOCATION")) {
                    if (cm.getData().containsKey(key)) {
                        errors.add("ConfigMap/" + cm.getMetadata().getName() + ": " + key + " is set: services have no signing key");
                    }
                }
                String prefix = cm.getData().get("PAYMENTS_SERVICE_IDENTITY_SENDER_PREFIX");
                if (prefix != null && !prefix.equals(SA_PREFIX)) {
                    errors.add("ConfigMap/" + cm.getMetadata().getName() + ": sender prefix must be " + SA_PREFIX);
                }
            }
        }
    }

    static void checkPrometheusRule(ManifestValidator v, PrometheusRule pr, Path rulesOut) throws IOException {
        String id = "PrometheusRule/" + pr.getMetadata().getName();
        Object rendered = JSON.convertValue(YAML.convertValue(pr.getSpec(), JsonNode.class), Object.class);
        Map<String, Object> source = ManifestValidator.groupsOf(v.repo.resolve("deploy/prometheus/rules"));
        JsonNode renderedTree = JSON.valueToTree(rendered);
        JsonNode sourceTree = JSON.valueToTree(source);
        // The model turns `expr` into an IntOrString; compare the expressions as text.
        if (!normalise(renderedTree).equals(normalise(sourceTree))) {
            v.errors.add(id + ": spec.groups differ from deploy/prometheus/rules/*.yml (run deploy/checks/gen-prometheusrule.sh)");
        }
        for (JsonNode g : renderedTree.path("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (!r.has("alert")) continue;
                String a = r.path("alert").asText();
                if (!ManifestValidator.SEVERITIES.contains(r.path("labels").path("severity").asText())) {
                    v.errors.add(id + ": alert " + a + " needs severity high, medium or low");
                }
                String runbook = r.path("annotations").path("runbook_url").asText("");
                if (!runbook.matches("docs/runbooks/[a-z0-9-]+\\.md") || !Files.isRegularFile(v.repo.resolve(runbook))) {
                    v.errors.add(id + ": alert " + a + " runbook_url '" + runbook + "' is not an existing docs/runbooks/*.md");
                }
            }
        }
        if (rulesOut != null) {
            Files.createDirectories(rulesOut.getParent());
            YAML.writeValue(rulesOut.toFile(), normalise(renderedTree));
        }
    }

    /** Rule YAML as plain data: IntOrString {"strVal": x} / {"value": x} become x, nulls dropped. */
    static JsonNode normalise(JsonNode n) {
        if (n.isObject()) {
            if (n.size() == 1 && n.has("value")) return normalise(n.get("value"));
            var out = JSON.createObjectNode();
            n.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull() && !(e.getValue().isObject() && e.getValue().isEmpty() && !e.getKey().equals("labels"))) {
                    out.set(e.getKey(), normalise(e.getValue()));
                }
            });
            return out;
        }
        if (n.isArray()) {
            var out = JSON.createArrayNode();
            n.forEach(e -> out.add(normalise(e)));
            return out;
        }
        return n;
    }
}
