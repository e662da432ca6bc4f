package dev.berth.server.registry;

import dev.berth.server.http.Routes;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.storage.BlobStore;
import java.time.Clock;

/** Wires the registry API's handlers over a blob store and a metadata store into one route table. */
public final class RegistryApi {

    private RegistryApi() {
    }

    public static Routes routes(BlobStore blobs, MetadataStore meta, RegistryOptions options) {
        Routes routes = new Routes();
        new BaseHandler().register(routes);
        new CatalogHandler(meta, options.maxCatalogPage()).register(routes);
        new TagsHandler(meta, options.maxTagsPage()).register(routes);
        new ManifestHandler(blobs, meta, new ManifestCache(options.manifestCacheBytes()), options.deletes()).register(routes);
        new BlobHandler(blobs, meta, options.deletes()).register(routes);
        new BlobUploadHandler(new Uploads(blobs, meta, Clock.systemUTC()), meta).register(routes);
        new ReferrersHandler(meta, options.maxCatalogPage()).register(routes);
        return routes;
    }
}
