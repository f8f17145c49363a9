package org.villagehomepage.payments.audit.redaction;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Counts redactions while one event is cleaned. */
public final class Redaction {

    private final Map<RedactionKind, Integer> counts = new EnumMap<>(RedactionKind.class);

    void count(RedactionKind kind) {
        counts.merge(kind, 1, Integer::sum);
    }

    public Map<RedactionKind, Integer> counts() {
        return Collections.unmodifiableMap(counts);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
