package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.it.Images.Image;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code registry.deleteEnabled: false}: every DELETE of content is 405 UNSUPPORTED and changes nothing. */
class DeletesDisabledTest {
    private static RunningRegistry registry;
    private static Api api;

    @BeforeAll
    static void start() {
        registry = RunningRegistry.start(Map.of("registry.deleteEnabled", "false"));
        api = new Api(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void deletingABlobIs405Unsupported() {
        String repo = Api.uniqueRepository("nodelete");
        Image image = Images.pushImage(api, repo, "v1", 1);

        assertError(api.delete("/v2/" + repo + "/blobs/" + image.layer().digest()), 405, "UNSUPPORTED");
        assertError(api.delete("/v2/" + repo + "/blobs/sha256:" + "0".repeat(64)), 405, "UNSUPPORTED");

        assertThat(api.get("/v2/" + repo + "/blobs/" + image.layer().digest()).body()).isEqualTo(image.layer().content());
    }

    @Test
    void deletingAManifestOrTagIs405Unsupported() {
        String repo = Api.uniqueRepository("nodelete");
        Image image = Images.pushImage(api, repo, "v1", 2);

        assertError(api.delete("/v2/" + repo + "/manifests/" + image.digest()), 405, "UNSUPPORTED");
        assertError(api.delete("/v2/" + repo + "/manifests/v1"), 405, "UNSUPPORTED");
        assertError(api.delete("/v2/" + repo + "/manifests/nope"), 405, "UNSUPPORTED");

        assertThat(api.get("/v2/" + repo + "/manifests/v1").body()).isEqualTo(image.manifest());
        assertThat(api.get("/v2/" + repo + "/manifests/" + image.digest()).statusCode()).isEqualTo(200);
    }

    @Test
    void cancellingAnUploadStillWorks() {
        String repo = Api.uniqueRepository("nodelete");
        String location = UploadApiTest.startUpload(api, repo);

        assertThat(api.delete(location).statusCode()).isEqualTo(204);
        assertError(api.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void everythingElseWorks() {
        String repo = Api.uniqueRepository("nodelete");
        Image image = Images.pushImage(api, repo, "v1", 3);

        assertThat(api.get("/v2/" + repo + "/tags/list").statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/" + repo + "/referrers/" + image.digest()).statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/_catalog").statusCode()).isEqualTo(200);
    }
}
