package org.villagehomepage.payments.common.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which service may call which internal endpoint, keyed by {@code "METHOD /path/template"} exactly
 * as the resource declares it. Each service produces one (its single place for this decision); an
 * internal endpoint without a row refuses every caller.
 */
public final class ServiceAllowlist {

    private final Map<String, Set<String>> rows;

    private ServiceAllowlist(Map<String, Set<String>> rows) {
        this.rows = Map.copyOf(rows);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ServiceAllowlist none() {
        return new ServiceAllowlist(Map.of());
    }

    public boolean allows(String method, String template, String sender) {
        Set<String> senders = rows.get(key(method, template));
        return senders != null && senders.contains(sender);
    }

    /** The rows, for tests that prove each of them. */
    public Map<String, Set<String>> rows() {
        return rows;
    }

    static String key(String method, String template) {
        return method.toUpperCase(java.util.Locale.ROOT) + " " + template;
    }

    public static final class Builder {
        private final Map<String, Set<String>> rows = new LinkedHashMap<>();

        public Builder allow(String method, String template, String... senders) {
            rows.put(key(method, template), Set.copyOf(List.of(senders)));
            return this;
        }

        public ServiceAllowlist build() {
            return new ServiceAllowlist(rows);
        }
    }
}
