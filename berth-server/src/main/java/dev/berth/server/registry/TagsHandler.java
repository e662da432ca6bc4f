package dev.berth.server.registry;

import dev.berth.server.http.Json;
import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.MetadataReads;
import dev.berth.server.meta.MetadataStore;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RegistryPath.Endpoint;
import dev.berth.spec.Tag;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v2/<name>/tags/list}: a repository's tags in lexical order, paginated. */
final class TagsHandler {
    private final MetadataStore meta;
    private final MetadataReads memory;
    private final int maxPage;

    TagsHandler(MetadataStore meta, MetadataReads memory, int maxPage) {
        this.meta = meta;
        this.memory = memory;
        this.maxPage = maxPage;
    }

    void register(Routes routes) {
        routes.add(Endpoint.TAGS, HttpMethod.GET, request -> list(request, meta), request -> list(request, memory));
    }

    private Reply list(RegistryRequest request, MetadataReads reads) {
        Page page = Page.of(request, maxPage);
        if (!reads.repositoryExists(request.name())) {
            throw ErrorCode.NAME_UNKNOWN.exception(Map.of("name", request.name().value()));
        }
        Page.Result<Tag> result = page.fetch(limit -> reads.tags(request.name(), page.last(), limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", request.name().value());
        body.put("tags", result.entries().stream().map(Tag::value).toList());
        Reply.Builder reply = Reply.status(200);
        result.nextLink(RegistryPath.tags(request.name()), page.n(), "", Tag::value).ifPresent(link -> reply.header("Link", link));
        return reply.json(Json.write(body));
    }
}
