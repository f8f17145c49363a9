package org.villagehomepage.payments.emulator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.ToLongFunction;

/**
 * A map of compact values in insertion order with a byte budget: once the values' sizes exceed it,
 * the oldest entries are evicted, so a long run keeps the newest objects within a fixed heap.
 * Not thread-safe: callers hold their own lock.
 */
final class Retention<V> {
    private final LinkedHashMap<String, V> map = new LinkedHashMap<>();
    private final ToLongFunction<V> sizeOf;
    private final long budgetBytes;
    private long bytes;
    private long evicted;

    Retention(long budgetBytes, ToLongFunction<V> sizeOf) {
        this.budgetBytes = budgetBytes;
        this.sizeOf = sizeOf;
    }

    V get(String key) {
        return map.get(key);
    }

    /** Replacing a value keeps its place in the order (creation order, as lists show it). */
    void put(String key, V value) {
        V old = map.put(key, value);
        if (old != null) {
            bytes -= sizeOf.applyAsLong(old);
        }
        bytes += sizeOf.applyAsLong(value);
        trim();
    }

    void remove(String key) {
        V old = map.remove(key);
        if (old != null) {
            bytes -= sizeOf.applyAsLong(old);
        }
    }

    /** Removes the entry an iterator of {@link #entries()} values is on. */
    void remove(Iterator<V> it, V value) {
        it.remove();
        bytes -= sizeOf.applyAsLong(value);
    }

    /** Oldest first. */
    SequencedMap<String, V> entries() {
        return map;
    }

    /** Entries kept, their bytes as counted against the budget, entries gone (evicted or dropped). */
    record Kept(long count, long bytes, long gone) {}

    Kept kept() {
        return new Kept(map.size(), bytes, evicted);
    }

    void clear() {
        map.clear();
        bytes = 0;
    }

    private void trim() {
        // the newest entry always stays, however large
        for (Iterator<Map.Entry<String, V>> it = map.entrySet().iterator(); bytes > budgetBytes && map.size() > 1; ) {
            Map.Entry<String, V> eldest = it.next();
            bytes -= sizeOf.applyAsLong(eldest.getValue());
            it.remove();
            evicted++;
        }
    }
}
