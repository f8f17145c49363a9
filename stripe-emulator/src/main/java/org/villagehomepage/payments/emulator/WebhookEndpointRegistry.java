package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Webhook endpoints: those from the config (kept across reset) and those added at run time. */
final class WebhookEndpointRegistry {

    /** One endpoint; immutable apart from being removed from the registry. */
    record Endpoint(
            String id,
            String url,
            List<String> secrets,
            List<String> enabledEvents,
            long created,
            String description,
            ObjectNode metadata,
            String apiVersion,
            boolean fromConfig) {

        boolean wants(String eventType) {
            return enabledEvents.contains("*") || enabledEvents.contains(eventType);
        }

        ObjectNode toJson(boolean withSecret) {
            ObjectNode n = Json.object();
            n.put("id", id);
            n.put("object", "webhook_endpoint");
            n.put("api_version", apiVersion);
            n.putNull("application");
            n.put("created", created);
            n.put("description", description);
            enabledEvents.forEach(n.putArray("enabled_events")::add);
            n.put("livemode", false);
            n.set("metadata", metadata.deepCopy());
            if (withSecret) {
                // Stripe shows the secret only in the create response
                n.put("secret", secrets.get(0));
            }
            n.put("status", "enabled");
            n.put("url", url);
            return n;
        }
    }

    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final IdGenerator ids;

    WebhookEndpointRegistry(IdGenerator ids) {
        this.ids = ids;
    }

    synchronized Endpoint add(
            String url,
            List<String> secrets,
            List<String> enabledEvents,
            long created,
            String description,
            ObjectNode metadata,
            String apiVersion,
            boolean fromConfig) {
        List<String> events =
                enabledEvents == null || enabledEvents.isEmpty() ? List.of("*") : List.copyOf(enabledEvents);
        Endpoint e = new Endpoint(
                ids.next("we"),
                url,
                List.copyOf(secrets),
                events,
                created,
                description,
                metadata == null ? Json.object() : metadata,
                apiVersion,
                fromConfig);
        endpoints.put(e.id(), e);
        return e;
    }

    synchronized Endpoint get(String id) {
        return endpoints.get(id);
    }

    synchronized Endpoint remove(String id) {
        return endpoints.remove(id);
    }

    /** Newest first, as Stripe lists. */
    synchronized List<Endpoint> list() {
        List<Endpoint> out = new ArrayList<>(endpoints.values());
        Collections.reverse(out);
        return out;
    }

    synchronized List<Endpoint> matching(String eventType) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : endpoints.values()) {
            if (e.wants(eventType)) {
                out.add(e);
            }
        }
        return out;
    }

    synchronized void removeRuntimeEndpoints() {
        endpoints.values().removeIf(e -> !e.fromConfig());
    }
}
