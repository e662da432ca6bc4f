package dev.berth.server.registry;

import java.time.Duration;

/**
 * What an operator may change about the registry API.
 *
 * @param deletes whether DELETE of manifests, tags and blobs is allowed (405 {@code UNSUPPORTED} otherwise)
 * @param maxTagsPage the largest {@code n} for tag lists, and the page size without one
 * @param maxCatalogPage the largest {@code n} for the catalog, and the page size without one
 * @param cacheBytes memory for caches: a third holds the bytes of hot manifests and small blobs, the rest
 *     what the metadata store answers (tags, manifest records, blob links and sizes, tag lists, catalog pages)
 * @param uploadLifetime how long an unfinished upload is kept before it is purged
 */
public record RegistryOptions(boolean deletes, int maxTagsPage, int maxCatalogPage, long cacheBytes,
        Duration uploadLifetime) {

    /** A quarter of the heap the JVM may grow to, so that {@code -Xmx} sizes the caches. */
    public static long defaultCacheBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }
}
