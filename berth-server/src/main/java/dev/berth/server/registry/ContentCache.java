package dev.berth.server.registry;

import dev.berth.server.meta.NotInMemory;
import dev.berth.spec.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The bytes of manifests and small blobs by digest, least recently used first out, bounded by total
 * size, in front of where they are stored. Safe to cache without invalidation: content under a digest
 * never changes.
 */
final class ContentCache {
    private final long maxBytes;
    private final Function<Digest, byte[]> load;
    private final LinkedHashMap<Digest, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ContentCache(long maxBytes, Function<Digest, byte[]> load) {
        this.maxBytes = maxBytes;
        this.load = load;
    }

    /** The bytes, loaded (blocking) when they are not cached. */
    byte[] get(Digest digest) {
        synchronized (this) {
            byte[] hit = entries.get(digest);
            if (hit != null) {
                return hit;
            }
        }
        byte[] loaded = load.apply(digest);
        put(digest, loaded);
        return loaded;
    }

    /** The cached bytes; throws {@link NotInMemory} when they are not cached. */
    synchronized byte[] inMemory(Digest digest) {
        byte[] hit = entries.get(digest);
        if (hit == null) {
            throw NotInMemory.instance();
        }
        return hit;
    }

    synchronized void put(Digest digest, byte[] content) {
        if (content.length > maxBytes || entries.containsKey(digest)) {
            return;
        }
        entries.put(digest, content);
        bytes += content.length;
        var eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<Digest, byte[]> e = eldest.next();
            bytes -= e.getValue().length;
            eldest.remove();
        }
    }
}
