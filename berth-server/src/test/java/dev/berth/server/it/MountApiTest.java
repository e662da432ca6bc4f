package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.header;
import static dev.berth.server.it.Api.withQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.berth.server.it.Images.Blob;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Cross-repository blob mounts: {@code POST /v2/<name>/blobs/uploads/?mount=<digest>[&from=<repo>]}. */
class MountApiTest extends SharedRegistryTest {
    private static HttpResponse<byte[]> mount(String target, String query) {
        return api.post("/v2/" + target + "/blobs/uploads/?" + query, null);
    }

    private static void assertMounted(HttpResponse<byte[]> response, String target, Blob blob) {
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(header(response, "Location")).endsWith("/v2/" + target + "/blobs/" + blob.digest());
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest().toString());
        HttpResponse<byte[]> get = api.get("/v2/" + target + "/blobs/" + blob.digest());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob.content());
    }

    /** A 202 session answer; the session works: the blob can be uploaded through it. */
    private static void assertSessionStarted(HttpResponse<byte[]> response, String target, Blob blob) {
        assertThat(response.statusCode()).isEqualTo(202);
        String location = header(response, "Location");
        assertThat(location).contains("/v2/" + target + "/blobs/uploads/");
        assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
        HttpResponse<byte[]> done = api.put(withQuery(location, "digest=" + blob.digest()), blob.content());
        assertThat(done.statusCode()).isEqualTo(201);
    }

    @Test
    void mountFromARepositoryHoldingTheBlobIs201() {
        String source = Api.uniqueRepository("source");
        String target = Api.uniqueRepository("target");
        Blob blob = Images.pushBlob(api, source, Images.randomBlob(20, 2048));

        assertMounted(mount(target, "mount=" + blob.digest() + "&from=" + source), target, blob);
        assertThat(api.get("/v2/" + source + "/blobs/" + blob.digest()).statusCode()).isEqualTo(200);
    }

    @Test
    void mountFromARepositoryWithoutTheBlobStartsASession() {
        String holder = Api.uniqueRepository("holder");
        String empty = Api.uniqueRepository("empty");
        String target = Api.uniqueRepository("target");
        Blob blob = Images.pushBlob(api, holder, Images.blob("held elsewhere"));
        Images.pushBlob(api, empty, Images.blob("something else"));

        HttpResponse<byte[]> response = mount(target, "mount=" + blob.digest() + "&from=" + empty);

        assertError(api.get("/v2/" + target + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertSessionStarted(response, target, blob);
    }

    @Test
    void mountFromAnUnknownRepositoryStartsASession() {
        String target = Api.uniqueRepository("target");
        Blob blob = Images.pushBlob(api, Api.uniqueRepository("holder"), Images.blob("held, but not there"));

        assertSessionStarted(mount(target, "mount=" + blob.digest() + "&from=" + Api.uniqueRepository("never")), target, blob);
    }

    @Test
    void mountWithoutFromFindsTheBlobAnywhere() {
        assumeFalse(RunningRegistry.tokenSuite(),
                "automatic content discovery mounts only from repositories the token names; this run's tokens name one");
        String source = Api.uniqueRepository("source");
        String target = Api.uniqueRepository("target");
        Blob blob = Images.pushBlob(api, source, Images.blob("mount me from wherever"));

        assertMounted(mount(target, "mount=" + blob.digest()), target, blob);
    }

    @Test
    void mountOfAnUnknownBlobStartsASession() {
        String target = Api.uniqueRepository("target");
        Blob blob = Images.blob("nobody has this");

        assertSessionStarted(mount(target, "mount=" + blob.digest()), target, blob);
        Blob other = Images.blob("nor this");
        assertSessionStarted(mount(target, "mount=" + other.digest() + "&from=" + Api.uniqueRepository("source")), target, other);
    }

    @Test
    void mountOfABlobDeletedFromItsSourceStartsASession() {
        String source = Api.uniqueRepository("source");
        String target = Api.uniqueRepository("target");
        Blob blob = Images.pushBlob(api, source, Images.blob("deleted before the mount"));
        assertThat(api.delete("/v2/" + source + "/blobs/" + blob.digest()).statusCode()).isEqualTo(202);

        assertSessionStarted(mount(target, "mount=" + blob.digest() + "&from=" + source), target, blob);
    }

    @Test
    void mountWithABadDigestOrSourceIs400() {
        String target = Api.uniqueRepository("target");
        Blob blob = Images.pushBlob(api, Api.uniqueRepository("source"), Images.blob("mount with bad input"));

        assertError(mount(target, "mount=sha256:totallywrong&from=" + Api.uniqueRepository("source")), 400, "DIGEST_INVALID");
        assertError(mount(target, "mount=" + blob.digest() + "&mount=" + blob.digest()), 400, "DIGEST_INVALID");
        assertError(mount(target, "mount=" + blob.digest() + "&from=Bad/Name"), 400, "NAME_INVALID");
        assertError(mount(target, "mount=" + blob.digest() + "&from=a&from=b"), 400, "NAME_INVALID");
    }
}
