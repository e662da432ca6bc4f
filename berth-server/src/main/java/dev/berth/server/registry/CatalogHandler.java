package dev.berth.server.registry;

import dev.berth.server.http.Json;
import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.MetadataReads;
import dev.berth.server.meta.MetadataStore;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RegistryPath.Endpoint;
import dev.berth.spec.RepositoryName;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/** {@code GET /v2/_catalog}: the repositories, paginated, straight from the metadata index. */
final class CatalogHandler {
    private final MetadataStore meta;
    private final MetadataReads memory;
    private final int maxPage;

    CatalogHandler(MetadataStore meta, MetadataReads memory, int maxPage) {
        this.meta = meta;
        this.memory = memory;
        this.maxPage = maxPage;
    }

    void register(Routes routes) {
        routes.add(Endpoint.CATALOG, HttpMethod.GET, request -> list(request, meta), request -> list(request, memory));
    }

    private Reply list(RegistryRequest request, MetadataReads reads) {
        Page page = Page.of(request, maxPage);
        Page.Result<RepositoryName> result = page.fetch(limit -> reads.repositories(page.last(), limit));
        Reply.Builder reply = Reply.status(200);
        result.nextLink(RegistryPath.catalog(), page.n(), "", RepositoryName::value).ifPresent(link -> reply.header("Link", link));
        return reply.json(Json.write(Map.of("repositories", result.entries().stream().map(RepositoryName::value).toList())));
    }
}
