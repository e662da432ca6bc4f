package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.it.Images.Blob;
import dev.berth.server.it.Images.Image;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Pulls are answered from memory once their answer was read: every write must show in the very next
 * read, also when the answer before it (an absence included) was read, and so cached, twice.
 */
class PullsFromMemoryTest extends SharedRegistryTest {
    private static HttpResponse<byte[]> twice(String path) {
        api.get(path);
        return api.get(path);
    }

    @Test
    void aTagReadBeforeItWasPushedIsServedOnceItIs() {
        String repo = Api.uniqueRepository("memory");
        assertError(twice("/v2/" + repo + "/manifests/latest"), 404, "MANIFEST_UNKNOWN");
        assertError(twice("/v2/" + repo + "/tags/list"), 404, "NAME_UNKNOWN");

        Image image = Images.pushImage(api, repo, "latest", 101);

        HttpResponse<byte[]> get = api.get("/v2/" + repo + "/manifests/latest");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(image.manifest());
        assertThat(api.head("/v2/" + repo + "/manifests/latest").statusCode()).isEqualTo(200);
        assertThat(Api.texts(Api.json(api.get("/v2/" + repo + "/tags/list")).get("tags"))).containsExactly("latest");
    }

    @Test
    void aMovedTagIsServedAtOnce() {
        String repo = Api.uniqueRepository("memory");
        Image first = Images.pushImage(api, repo, "latest", 102);
        assertThat(twice("/v2/" + repo + "/manifests/latest").body()).isEqualTo(first.manifest());

        Image second = Images.pushImage(api, repo, "latest", 103);

        assertThat(api.get("/v2/" + repo + "/manifests/latest").body()).isEqualTo(second.manifest());
    }

    @Test
    void deletesAreServedAtOnce() {
        String repo = Api.uniqueRepository("memory");
        Image image = Images.pushImage(api, repo, "one", 104);
        Images.pushManifest(api, repo, "two", MediaTypes.OCI_MANIFEST, image.manifest());
        assertThat(twice("/v2/" + repo + "/manifests/one").statusCode()).isEqualTo(200);
        assertThat(twice("/v2/" + repo + "/manifests/two").statusCode()).isEqualTo(200);
        assertThat(twice("/v2/" + repo + "/manifests/" + image.digest()).statusCode()).isEqualTo(200);
        assertThat(Api.texts(Api.json(twice("/v2/" + repo + "/tags/list")).get("tags"))).containsExactly("one", "two");

        assertThat(api.delete("/v2/" + repo + "/manifests/one").statusCode()).isEqualTo(202);
        assertError(api.get("/v2/" + repo + "/manifests/one"), 404, "MANIFEST_UNKNOWN");
        assertThat(Api.texts(Api.json(api.get("/v2/" + repo + "/tags/list")).get("tags"))).containsExactly("two");

        assertThat(api.delete("/v2/" + repo + "/manifests/" + image.digest()).statusCode()).isEqualTo(202);
        assertError(api.get("/v2/" + repo + "/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
        assertError(api.get("/v2/" + repo + "/manifests/two"), 404, "MANIFEST_UNKNOWN");
        assertThat(Api.texts(Api.json(api.get("/v2/" + repo + "/tags/list")).get("tags"))).isEmpty();
    }

    @Test
    void aBlobIsServedOnceItIsPushedAndNotOnceItIsDeleted() {
        String repo = Api.uniqueRepository("memory");
        Blob blob = Images.randomBlob(105, 4096);
        String path = "/v2/" + repo + "/blobs/" + blob.digest();
        assertThat(api.head(path).statusCode()).isEqualTo(404);
        assertError(twice(path), 404, "BLOB_UNKNOWN");

        Images.pushBlob(api, repo, blob);

        assertThat(api.head(path).statusCode()).isEqualTo(200);
        assertThat(twice(path).body()).isEqualTo(blob.content());

        assertThat(api.delete(path).statusCode()).isEqualTo(202);
        assertError(api.get(path), 404, "BLOB_UNKNOWN");
    }

    @Test
    void theCatalogShowsANewRepositoryAtOnce() {
        String repo = Api.uniqueRepository("memory");
        assertThat(Api.texts(Api.json(twice("/v2/_catalog?n=1000")).get("repositories"))).doesNotContain(repo);

        Images.pushImage(api, repo, "latest", 106);

        assertThat(Api.texts(Api.json(api.get("/v2/_catalog?n=1000")).get("repositories"))).contains(repo);
    }
}
