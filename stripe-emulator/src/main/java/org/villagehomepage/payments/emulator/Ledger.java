package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The in-memory objects. One lock guards every read and change, so a state change and the events
 * it publishes are atomic and ordered; the work done under it is tiny.
 */
final class Ledger {
    final EmulatorClock clock;
    final IdGenerator ids;
    final EventLog events;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Map<String, ObjectNode>> byKind = new LinkedHashMap<>();

    Ledger(EmulatorClock clock, IdGenerator ids, EventLog events) {
        this.clock = clock;
        this.ids = ids;
        this.events = events;
        for (String kind : List.of("payment_intent", "charge", "refund", "dispute")) {
            byKind.put(kind, new LinkedHashMap<>());
        }
    }

    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void put(ObjectNode object) {
        byKind.get(object.get("object").asText()).put(object.get("id").asText(), object);
    }

    /** The live object (callers hold the lock); 404 in Stripe's words if absent. */
    ObjectNode require(String kind, String id, String label, String param) {
        ObjectNode o = byKind.get(kind).get(id);
        if (o == null) {
            throw ApiException.notFound(label, id, param);
        }
        return o;
    }

    ObjectNode find(String kind, String id) {
        return byKind.get(kind).get(id);
    }

    /** Any object by its id prefix, for expansion. */
    ObjectNode findById(String id) {
        if (id.startsWith("pi_")) {
            return find("payment_intent", id);
        }
        if (id.startsWith("ch_")) {
            return find("charge", id);
        }
        if (id.startsWith("re_")) {
            return find("refund", id);
        }
        if (id.startsWith("du_")) {
            return find("dispute", id);
        }
        return null;
    }

    /** Snapshots, newest first (creation order reversed: ties on {@code created} keep creation order). */
    List<ObjectNode> list(String kind, Predicate<ObjectNode> filter) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : byKind.get(kind).values()) {
            if (filter.test(o)) {
                out.add(o.deepCopy());
            }
        }
        Collections.reverse(out);
        return out;
    }

    ObjectNode publish(String type, ObjectNode object, ObjectNode previous, RequestContext ctx) {
        return events.publish(type, object.deepCopy(), previous, ctx);
    }

    /** previous_attributes: old values of the top-level fields that changed. */
    static ObjectNode diff(ObjectNode before, ObjectNode after) {
        ObjectNode prev = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = before.get(e.getKey());
            if (old == null || !old.equals(e.getValue())) {
                prev.set(e.getKey(), old == null ? Json.NODES.nullNode() : old.deepCopy());
            }
        }
        return prev;
    }

    void reset() {
        locked(() -> {
            byKind.values().forEach(Map::clear);
            return null;
        });
    }
}
