package dev.berth.server.config;

/**
 * Everything {@code berth serve} can be told, as read from {@code berth.yml}, {@code BERTH_*}
 * environment variables and flags (see {@link ConfigLoader}). Every key has a default, so no file is
 * needed at all.
 */
public record BerthConfig(Http http, Storage storage, Registry registry) {

    /**
     * @param addr where to listen, {@code host:port}
     * @param allowPublicWithoutAuth permits a non-loopback {@code addr} although nobody is authenticated
     */
    public record Http(String addr, boolean allowPublicWithoutAuth) {
    }

    /** @param path the data directory: blobs under {@code blobs/}, metadata in {@code berth.db} */
    public record Storage(String path) {
    }

    /**
     * @param deleteEnabled whether manifests, tags and blobs may be deleted
     * @param maxTagsPage the largest page of a tag list
     * @param maxCatalogPage the largest page of the catalog
     */
    public record Registry(boolean deleteEnabled, int maxTagsPage, int maxCatalogPage) {
    }

    public static BerthConfig defaults() {
        return new BerthConfig(
                new Http("127.0.0.1:5000", false),
                new Storage("./berth-data"),
                new Registry(true, 10_000, 1_000));
    }
}
