package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
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
 *
 * <p>Objects rest as compact JSON bytes, deflated ({@link Packed}), in a {@link Retention}
 * with a byte budget, oldest evicted first, so a long run never exhausts the heap. Inside
 * {@link #locked} an object is a live tree: callers change it in place, and every object touched
 * is written back when the outermost {@code locked} call ends (also when it throws, as a decline
 * recorded on the intent must stay).
 */
final class Ledger {
    final EmulatorClock clock;
    final IdGenerator ids;
    final EventLog events;

    private record Stored(String kind, byte[] json) {}

    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            // a tree read back from bytes has IntNode where the handler put a long
            return a.isIntegralNumber() && b.isIntegralNumber()
                    ? Long.compare(a.longValue(), b.longValue())
                    : a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private final ReentrantLock lock = new ReentrantLock();
    private final Retention<Stored> stored;
    /** Trees checked out by the current {@link #locked} call, by id, with their kind. */
    private final Map<String, ObjectNode> live = new LinkedHashMap<>();

    private int depth;

    Ledger(EmulatorClock clock, IdGenerator ids, EventLog events, long budgetBytes) {
        this.clock = clock;
        this.ids = ids;
        this.events = events;
        // per entry: the bytes, plus about 120 bytes of map entry, record and id string
        this.stored = new Retention<>(budgetBytes, s -> s.json().length + 120L);
    }

    <T> T locked(Supplier<T> work) {
        lock.lock();
        depth++;
        try {
            return work.get();
        } finally {
            if (--depth == 0) {
                writeBack();
            }
            lock.unlock();
        }
    }

    private void writeBack() {
        try {
            for (ObjectNode o : live.values()) {
                stored.put(
                        o.get("id").asText(),
                        new Stored(o.get("object").asText(), Packed.pack(Json.MAPPER.writeValueAsBytes(o))));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise an object", e);
        } finally {
            live.clear();
        }
    }

    void put(ObjectNode object) {
        live.put(object.get("id").asText(), object);
    }

    /** The live object (callers hold the lock); 404 in Stripe's words if absent. */
    ObjectNode require(String kind, String id, String label, String param) {
        ObjectNode o = find(kind, id);
        if (o == null) {
            throw ApiException.notFound(label, id, param);
        }
        return o;
    }

    ObjectNode find(String kind, String id) {
        ObjectNode o = live.get(id);
        if (o != null) {
            return kind.equals(o.get("object").asText()) ? o : null;
        }
        Stored s = stored.get(id);
        if (s == null || !s.kind().equals(kind)) {
            return null;
        }
        o = parse(s);
        live.put(id, o);
        return o;
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
        for (Map.Entry<String, Stored> e : stored.entries().reversed().entrySet()) {
            if (!e.getValue().kind().equals(kind)) {
                continue;
            }
            ObjectNode o = live.get(e.getKey());
            o = o != null ? o.deepCopy() : parse(e.getValue());
            if (filter.test(o)) {
                out.add(o);
            }
        }
        // objects created in this call are not stored yet; they are the newest
        List<ObjectNode> fresh = new ArrayList<>();
        for (ObjectNode o : live.values()) {
            if (kind.equals(o.get("object").asText()) && stored.get(o.get("id").asText()) == null && filter.test(o)) {
                fresh.add(0, o.deepCopy());
            }
        }
        fresh.addAll(out);
        return fresh;
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
            if (old == null || !old.equals(SAME_VALUE, e.getValue())) {
                prev.set(e.getKey(), old == null ? Json.NODES.nullNode() : old.deepCopy());
            }
        }
        return prev;
    }

    Retention.Kept retention() {
        return locked(stored::kept);
    }

    void reset() {
        locked(() -> {
            stored.clear();
            live.clear();
            return null;
        });
    }

    private static ObjectNode parse(Stored s) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Packed.open(s.json()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a stored object", e);
        }
    }
}
