package dev.berth.server.registry;

import dev.berth.server.http.Routes;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.storage.BlobStore;
import java.time.Clock;

/**
 * The registry API over a blob store and a metadata store: its handlers wired into one route table,
 * and the housekeeping the API leaves behind (abandoned uploads).
 */
public final class RegistryApi {
    private final Routes routes = new Routes();
    private final Uploads uploads;
    private final RegistryOptions options;
    private final Clock clock;

    public RegistryApi(BlobStore blobs, MetadataStore meta, RegistryOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.uploads = new Uploads(blobs, meta, clock);
        new BaseHandler().register(routes);
        new CatalogHandler(meta, options.maxCatalogPage()).register(routes);
        new TagsHandler(meta, options.maxTagsPage()).register(routes);
        new ManifestHandler(blobs, meta, new ManifestCache(options.manifestCacheBytes()), options.deletes()).register(routes);
        new BlobHandler(blobs, meta, options.deletes()).register(routes);
        new BlobUploadHandler(uploads, meta).register(routes);
        new ReferrersHandler(meta, options.maxCatalogPage()).register(routes);
    }

    public Routes routes() {
        return routes;
    }

    /** Discards uploads started longer than {@link RegistryOptions#uploadLifetime()} ago; returns how many. */
    public int purgeAbandonedUploads() {
        return uploads.purgeStartedBefore(clock.instant().minus(options.uploadLifetime()));
    }
}
