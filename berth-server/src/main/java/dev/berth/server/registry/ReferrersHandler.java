package dev.berth.server.registry;

import dev.berth.server.http.Json;
import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.ManifestRecord;
import dev.berth.server.meta.MetadataStore;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RegistryPath.Endpoint;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<name>/referrers/<digest>}: the OCI 1.1 referrers API. Always 200 with an image index
 * listing the manifests whose {@code subject} is the digest (empty when none, also when the subject
 * itself is unknown), filtered by {@code artifactType} on request, paginated by {@code n} and
 * {@code last} (a digest) with a {@code Link} header.
 */
final class ReferrersHandler {
    private final MetadataStore meta;
    private final int maxPage;

    ReferrersHandler(MetadataStore meta, int maxPage) {
        this.meta = meta;
        this.maxPage = maxPage;
    }

    void register(Routes routes) {
        routes.add(Endpoint.REFERRERS, HttpMethod.GET, this::list);
    }

    private Reply list(RegistryRequest request) {
        Digest subject = request.digest();
        String artifactType = request.query("artifactType", ErrorCode.MANIFEST_INVALID).orElse(null);
        Page page = Page.of(request, maxPage);
        Page.Result<ManifestRecord> result = page.fetch(limit -> meta.referrers(request.name(), subject, artifactType).stream()
                .filter(m -> page.last() == null || m.digest().toString().compareTo(page.last()) > 0)
                .limit(limit)
                .toList());
        List<Map<String, Object>> descriptors = result.entries().stream().map(ReferrersHandler::descriptor).toList();
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", descriptors);
        Reply.Builder reply = Reply.status(200);
        if (artifactType != null) {
            reply.header("OCI-Filters-Applied", "artifactType");
        }
        String path = RegistryPath.referrers(request.name(), subject);
        String filter = artifactType == null ? "" : "&artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
        result.nextLink(path, page.n(), filter, m -> m.digest().toString()).ifPresent(link -> reply.header("Link", link));
        return reply.bytes(MediaTypes.OCI_INDEX, Json.write(index));
    }

    private static Map<String, Object> descriptor(ManifestRecord m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", m.mediaType());
        d.put("digest", m.digest().toString());
        d.put("size", m.size());
        if (m.artifactType() != null) {
            d.put("artifactType", m.artifactType());
        }
        if (!m.annotations().isEmpty()) {
            d.put("annotations", m.annotations());
        }
        return d;
    }
}
