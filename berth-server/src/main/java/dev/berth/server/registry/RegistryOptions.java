package dev.berth.server.registry;

import java.time.Duration;

/**
 * What an operator may change about the registry API.
 *
 * @param deletes whether DELETE of manifests, tags and blobs is allowed (405 {@code UNSUPPORTED} otherwise)
 * @param maxTagsPage the largest {@code n} for tag lists, and the page size without one
 * @param maxCatalogPage the largest {@code n} for the catalog, and the page size without one
 * @param contentCacheBytes memory for hot manifests and small blobs (those kept in the metadata store)
 * @param uploadLifetime how long an unfinished upload is kept before it is purged
 */
public record RegistryOptions(boolean deletes, int maxTagsPage, int maxCatalogPage, long contentCacheBytes,
        Duration uploadLifetime) {

    public static final long DEFAULT_CONTENT_CACHE_BYTES = 16L * 1024 * 1024;
}
