package org.villagehomepage.payments.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Validates `kubectl kustomize` output offline: every object must parse strictly into the fabric8
 * Kubernetes model of its apiVersion/kind (an unknown field anywhere is an error), and the suite's
 * deployment rules must hold (zero-downtime rollout, probes, Stripe secrets only where needed,
 * public Ingress paths, PrometheusRule identical to deploy/prometheus/rules, ...).
 *
 * <pre>java ManifestValidator --repo DIR [--rules-out DIR] RENDERED.yaml...</pre>
 */
public final class ManifestValidator {

    static final String NAMESPACE = "village-homepage";
    /** The operator console: its own Ingress and host (Rules.checkConsoleIngress). */
    static final String CONSOLE = "ops-console";
    static final String STRIPE_SECRET = "homepage-stripe-credentials";
    static final Set<String> STRIPE_USERS = Set.of("checkout-service", "webhook-service", "refund-service");
    static final Set<String> SEVERITIES = Set.of("high", "medium", "low");
    /** Every Ingress routes exactly these (path -> service), and nothing else. */
    static final Map<String, String> PUBLIC_PATHS = Map.of(
            "/api/marketplace", "checkout-service",
            "/api/marketplace/refunds", "refund-service",
            "/webhooks/stripe", "webhook-service");

    static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    final Path repo;
    final List<String> errors = new ArrayList<>();

    ManifestValidator(Path repo) {
        this.repo = repo;
    }

    public static void main(String[] args) throws IOException {
        Path repo = Path.of(".");
        Path rulesOut = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repo" -> repo = Path.of(args[++i]);
                case "--rules-out" -> rulesOut = Path.of(args[++i]);
                default -> files.add(Path.of(args[i]));
            }
        }
        int failed = 0;
        for (Path file : files) {
            ManifestValidator v = new ManifestValidator(repo);
            List<JsonNode> docs = readAll(Files.readString(file));
            v.validate(docs, rulesOut == null ? null : rulesOut.resolve(file.getFileName() + ".rules.yml"));
            if (v.errors.isEmpty()) {
                System.out.printf("ok: %s: %d objects valid%n", file, docs.size());
            } else {
                failed++;
                v.errors.forEach(e -> System.out.printf("FAIL: %s: %s%n", file, e));
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    static List<JsonNode> readAll(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    void validate(List<JsonNode> docs, Path rulesOut) throws IOException {
        Map<String, HasMetadata> objects = new LinkedHashMap<>();
        for (JsonNode doc : docs) {
            String apiVersion = doc.path("apiVersion").asText("");
            String kind = doc.path("kind").asText("");
            String name = doc.path("metadata").path("name").asText("");
            String id = kind + "/" + name;
            if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
                errors.add("object without apiVersion, kind or metadata.name: " + doc);
                continue;
            }
            Class<? extends HasMetadata> type = TYPES.get(apiVersion + "/" + kind);
            if (type == null) {
                errors.add(id + ": unexpected apiVersion/kind " + apiVersion + "/" + kind);
                continue;
            }
            if (!doc.has("spec") && Set.of("Deployment", "Service", "Ingress", "NetworkPolicy",
                    "PodDisruptionBudget", "ServiceMonitor", "PrometheusRule").contains(kind)) {
                errors.add(id + ": no spec");
            }
            HasMetadata obj;
            try {
                obj = YAML.treeToValue(doc, type);
            } catch (Exception e) {
                errors.add(id + ": does not parse as " + type.getSimpleName() + ": " + e.getMessage());
                continue;
            }
            strict(obj, id, new IdentityHashMap<>());
            if (!kind.equals("Namespace") && !NAMESPACE.equals(obj.getMetadata().getNamespace())) {
                errors.add(id + ": namespace is " + obj.getMetadata().getNamespace() + ", not " + NAMESPACE);
            }
            if (objects.put(id, obj) != null) {
                errors.add(id + ": defined twice");
            }
        }
        Rules.check(this, objects, rulesOut);
    }

    /** Fails on any field the model does not know: fabric8 keeps those in additionalProperties. */
    void strict(Object o, String path, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                strict(e, path + "[" + i++ + "]", seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> strict(v, path + "." + k, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(o);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (f.getName().equals("additionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        errors.add(path + ": unknown field(s) " + new TreeSet<>(extra.keySet().stream().map(String::valueOf).toList())
                                + " in " + o.getClass().getSimpleName());
                    }
                } else {
                    strict(v, path + "." + f.getName(), seen);
                }
            }
        }
    }

    // ---- helpers shared with Rules ------------------------------------------------------------

    static Map<String, Object> groupsOf(Path rulesDir) throws IOException {
        ArrayNode all = JSON.createArrayNode();
        try (Stream<Path> s = Files.list(rulesDir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                all.addAll((ArrayNode) YAML.readTree(p.toFile()).get("groups"));
            }
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("groups", JSON.convertValue(all, Object.class));
        return m;
    }

    static boolean probe(Probe p, String path) {
        return p != null && p.getHttpGet() != null && path.equals(p.getHttpGet().getPath());
    }

    static List<String> envNames(Container c) {
        List<String> names = new ArrayList<>();
        for (EnvVar e : c.getEnv()) {
            names.add(e.getName());
        }
        return names;
    }

    static List<String> configMapsUsed(Container c) {
        List<String> names = new ArrayList<>();
        for (EnvFromSource e : c.getEnvFrom()) {
            if (e.getConfigMapRef() != null) {
                names.add(e.getConfigMapRef().getName());
            }
        }
        return names;
    }

    static int intOrString(Object v) {
        return Integer.parseInt(String.valueOf(v));
    }

    static RollingUpdateDeployment rolling(Deployment d) {
        return d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    }

    static List<HTTPIngressPath> paths(Ingress ing) {
        List<HTTPIngressPath> out = new ArrayList<>();
        for (IngressRule r : ing.getSpec().getRules()) {
            if (r.getHttp() != null) {
                out.addAll(r.getHttp().getPaths());
            }
        }
        return out;
    }
}
