package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /v2/}, and what every response carries. */
class BaseApiTest extends SharedRegistryTest {
    @Test
    void baseAnswers200WithAnEmptyJsonObject() {
        HttpResponse<byte[]> response = api.get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        assertThat(new String(response.body(), UTF_8)).isEqualTo("{}");
        assertThat(header(response, Api.API_VERSION_HEADER)).isEqualTo("registry/2.0");
    }

    @Test
    void baseWithoutTrailingSlashAndHeadAnswerToo() {
        assertThat(api.get("/v2").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> head = api.head("/v2/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo("2");
    }

    @Test
    void everyErrorIsJsonWithCodeMessageAndTheApiVersionHeader() {
        String repo = Api.uniqueRepository("base");
        String unknownDigest = "sha256:" + "0".repeat(64);
        // Api checks the API version header and status < 500 on each of these.
        List<HttpResponse<byte[]>> errors = List.of(
                api.get("/v2/" + repo + "/manifests/latest"),
                api.get("/v2/" + repo + "/blobs/" + unknownDigest),
                api.get("/v2/" + repo + "/tags/list"),
                api.get("/v2/" + repo + "/blobs/uploads/nope"),
                api.get("/v2/Bad/tags/list"),
                api.method("PATCH", "/v2/" + repo + "/manifests/latest", new byte[0]));

        assertError(errors.get(0), 404, "MANIFEST_UNKNOWN");
        assertError(errors.get(1), 404, "BLOB_UNKNOWN");
        assertError(errors.get(2), 404, "NAME_UNKNOWN");
        assertError(errors.get(3), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(errors.get(4), 400, "NAME_INVALID");
        assertError(errors.get(5), 405, "UNSUPPORTED");
    }

    @Test
    void unknownEndpointsAre404() {
        for (String path : List.of("/", "/v1/_ping", "/v2/_catalogue", "/v2/foo/bar", "/v2/foo/manifests/", "/v2/foo/blobs/",
                "/v2/foo/referrers/", "/v2/foo/tags/list/x", "/v3/")) {
            HttpResponse<byte[]> response = api.get(path);
            assertError(response, 404, "NAME_UNKNOWN");
        }
    }

    @Test
    void unsupportedVerbsAre405Unsupported() {
        String repo = Api.uniqueRepository("verbs");
        String digest = "sha256:" + "1".repeat(64);
        assertError(api.method("PATCH", "/v2/" + repo + "/manifests/t", new byte[0]), 405, "UNSUPPORTED");
        assertError(api.post("/v2/" + repo + "/manifests/t", new byte[0]), 405, "UNSUPPORTED");
        assertError(api.post("/v2/", new byte[0]), 405, "UNSUPPORTED");
        assertError(api.delete("/v2/_catalog"), 405, "UNSUPPORTED");
        assertError(api.put("/v2/" + repo + "/blobs/" + digest, new byte[0]), 405, "UNSUPPORTED");
        assertError(api.post("/v2/" + repo + "/blobs/" + digest, new byte[0]), 405, "UNSUPPORTED");
        assertError(api.delete("/v2/" + repo + "/tags/list"), 405, "UNSUPPORTED");
        assertError(api.put("/v2/" + repo + "/referrers/" + digest, new byte[0]), 405, "UNSUPPORTED");
        assertError(api.get("/v2/" + repo + "/blobs/uploads/"), 405, "UNSUPPORTED");
        assertError(api.method("OPTIONS", "/v2/" + repo + "/tags/list", null), 405, "UNSUPPORTED");
        assertError(api.method("FROB", "/v2/" + repo + "/tags/list", null), 405, "UNSUPPORTED");
    }
}
