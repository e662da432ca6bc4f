package dev.berth.server.meta;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bounded map of answers loaded from the database, kept coherent with writes made through the same
 * process: a writer invalidates after its transaction commits, and a reader keeps what it loaded only
 * if no invalidation happened while it was loading, so an answer read before a commit never outlives
 * it. When full it starts over (the working set of a registry is its hot tags and manifests).
 */
final class CoherentCache<K, V> {
    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private final int capacity;

    CoherentCache(int capacity) {
        this.capacity = capacity;
    }

    /** The cached answer, or {@code null} when there is none. */
    V peek(K key) {
        return entries.get(key);
    }

    V get(K key, Function<K, V> load) {
        V cached = entries.get(key);
        if (cached != null) {
            return cached;
        }
        long seen = invalidations.get();
        V loaded = load.apply(key);
        if (entries.size() >= capacity) {
            entries.clear();
        }
        // Store first, then look: an invalidation either came before the look (so take it back) or
        // comes after the store (so it removes it).
        if (entries.putIfAbsent(key, loaded) == null && invalidations.get() != seen) {
            entries.remove(key, loaded);
        }
        return loaded;
    }

    /** Call after the write that changed {@code key}'s answer has committed (or failed). */
    void invalidate(K key) {
        invalidations.incrementAndGet();
        entries.remove(key);
    }

    void invalidateAll() {
        invalidations.incrementAndGet();
        entries.clear();
    }
}
