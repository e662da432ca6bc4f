package dev.berth.server.registry;

import dev.berth.server.http.Routes;
import dev.berth.server.meta.CachingMetadataStore;
import dev.berth.server.meta.MetadataReads;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.storage.BlobStore;
import java.time.Clock;

/**
 * The registry API over a blob store and a metadata store (read through a {@link CachingMetadataStore}):
 * its handlers wired into one route table,
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
        long contentBytes = options.cacheBytes() / 3;
        CachingMetadataStore cached = new CachingMetadataStore(meta, options.cacheBytes() - contentBytes);
        MetadataReads memory = cached.memoryOnly();
        this.uploads = new Uploads(blobs, cached, clock);
        new BaseHandler().register(routes);
        new CatalogHandler(cached, memory, options.maxCatalogPage()).register(routes);
        new TagsHandler(cached, memory, options.maxTagsPage()).register(routes);
        // manifests stored before their bytes moved into the metadata store are files of the blob store
        ContentCache contents = new ContentCache(contentBytes,
                digest -> cached.blobContent(digest).orElseGet(() -> blobs.read(digest)));
        new ManifestHandler(cached, memory, contents, options.deletes()).register(routes);
        new BlobHandler(blobs, cached, memory, contents, options.deletes()).register(routes);
        new BlobUploadHandler(uploads, cached).register(routes);
        new ReferrersHandler(cached, options.maxCatalogPage()).register(routes);
    }

    public Routes routes() {
        return routes;
    }

    /** Discards uploads started longer than {@link RegistryOptions#uploadLifetime()} ago; returns how many. */
    public int purgeAbandonedUploads() {
        return uploads.purgeStartedBefore(clock.instant().minus(options.uploadLifetime()));
    }
}
