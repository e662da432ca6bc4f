package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.json;
import static dev.berth.server.it.Api.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.it.Images.Image;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pagination is bounded by configuration ({@code registry.maxTagsPage}, {@code registry.maxCatalogPage}):
 * without {@code n} a page holds the maximum and {@code Link} points on; {@code n} above it is refused.
 */
class PageLimitsTest {
    private static RunningRegistry registry;
    private static Api api;
    private static String repo;
    private static Image image;

    @BeforeAll
    static void start() {
        registry = RunningRegistry.start(Map.of("registry.maxTagsPage", "3", "registry.maxCatalogPage", "2"));
        api = new Api(registry);
        repo = Api.uniqueRepository("pages");
        image = Images.pushImage(api, repo, "t0", 1);
        for (int i = 1; i < 7; i++) {
            Images.pushManifest(api, repo, "t" + i, MediaTypes.OCI_MANIFEST, image.manifest());
        }
        for (int i = 0; i < 4; i++) {
            Images.pushBlob(api, "pages/repo" + i, Images.blob("repository " + i));
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void withoutNATagsPageHoldsTheMaximumAndLinksOn() {
        HttpResponse<byte[]> first = api.get("/v2/" + repo + "/tags/list");

        assertThat(texts(json(first).get("tags"))).containsExactly("t0", "t1", "t2");
        assertThat(Api.nextLink(first)).isPresent();
        assertThat(api.collectPages("/v2/" + repo + "/tags/list", "tags")).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
        assertThat(api.get("/v2/" + repo + "/tags/list?n=3").statusCode()).isEqualTo(200);
        assertError(api.get("/v2/" + repo + "/tags/list?n=4"), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void withoutNACatalogPageHoldsTheMaximumAndLinksOn() {
        HttpResponse<byte[]> first = api.get("/v2/_catalog");

        assertThat(texts(json(first).get("repositories"))).hasSize(2);
        assertThat(Api.nextLink(first)).isPresent();
        List<String> all = api.collectPages("/v2/_catalog", "repositories");
        assertThat(all).containsExactly(repo, "pages/repo0", "pages/repo1", "pages/repo2", "pages/repo3");
        assertError(api.get("/v2/_catalog?n=3"), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void referrersPagesAreBoundedByTheCatalogMaximum() {
        Images.pushBlob(api, repo, Images.EMPTY_CONFIG);
        for (int i = 0; i < 3; i++) {
            var artifact = Images.artifact("application/vnd.example.page", Map.of("i", Integer.toString(i)));
            artifact.set("subject", Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, image.manifest()));
            byte[] bytes = Images.bytes(artifact);
            Images.pushManifest(api, repo, Digest.sha256(bytes).toString(), MediaTypes.OCI_MANIFEST, bytes);
        }

        HttpResponse<byte[]> first = api.get("/v2/" + repo + "/referrers/" + image.digest());
        assertThat(json(first).get("manifests")).hasSize(2);
        assertThat(Api.nextLink(first)).isPresent();
        HttpResponse<byte[]> second = api.get(Api.nextLink(first).get());
        assertThat(json(second).get("manifests")).hasSize(1);
        assertThat(Api.nextLink(second)).isEmpty();
        assertError(api.get("/v2/" + repo + "/referrers/" + image.digest() + "?n=3"), 400, "PAGINATION_NUMBER_INVALID");
    }
}
