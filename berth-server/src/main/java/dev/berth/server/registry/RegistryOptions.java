package dev.berth.server.registry;

/**
 * What an operator may change about the registry API.
 *
 * @param deletes whether DELETE of manifests, tags and blobs is allowed (405 {@code UNSUPPORTED} otherwise)
 * @param maxTagsPage the largest {@code n} for tag lists, and the page size without one
 * @param maxCatalogPage the largest {@code n} for the catalog, and the page size without one
 * @param manifestCacheBytes memory for hot manifests
 */
public record RegistryOptions(boolean deletes, int maxTagsPage, int maxCatalogPage, long manifestCacheBytes) {

    public static RegistryOptions defaults() {
        return new RegistryOptions(true, 10_000, 1_000, 64L * 1024 * 1024);
    }
}
