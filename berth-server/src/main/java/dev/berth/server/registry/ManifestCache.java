package dev.berth.server.registry;

import dev.berth.server.meta.NotInMemory;
import dev.berth.spec.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Manifest bytes by digest, least recently used first out, bounded by total size. Safe to cache
 * without invalidation: content under a digest never changes.
 */
final class ManifestCache {
    private final long maxBytes;
    private final LinkedHashMap<Digest, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ManifestCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    byte[] get(Digest digest, Function<Digest, byte[]> load) {
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
