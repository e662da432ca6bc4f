package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.it.Images.Blob;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /v2/<name>/blobs/<digest>}: GET, HEAD, ranges, conditional requests, DELETE. */
class BlobApiTest extends SharedRegistryTest {
    private static final Blob DIGITS = Images.blob("0123456789");

    private static String rangeRepo;

    @BeforeAll
    static void start() {
        rangeRepo = Api.uniqueRepository("ranges");
        Images.pushBlob(api, rangeRepo, DIGITS);
    }

    private static String blobPath(String repo, Object digest) {
        return "/v2/" + repo + "/blobs/" + digest;
    }

    @Test
    void getServesTheBytesWithDigestLengthAndOctetStream() {
        String repo = Api.uniqueRepository("blob");
        Blob blob = Images.pushBlob(api, repo, Images.randomBlob(1, 100_000));

        HttpResponse<byte[]> response = api.get(blobPath(repo, blob.digest()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(blob.content());
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest().toString());
        assertThat(header(response, "Content-Length")).isEqualTo("100000");
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(response, "ETag")).isEqualTo("\"" + blob.digest() + "\"");
    }

    @Test
    void headHasTheHeadersOfGetButNoBody() {
        String repo = Api.uniqueRepository("blob");
        Blob blob = Images.pushBlob(api, repo, Images.randomBlob(2, 4321));

        HttpResponse<byte[]> response = api.head(blobPath(repo, blob.digest()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo("4321");
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest().toString());
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void anEmptyBlobIsServed() {
        String repo = Api.uniqueRepository("blob");
        Blob empty = Images.pushBlob(api, repo, Images.blob(new byte[0]));
        assertThat(empty.digest().toString()).isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        HttpResponse<byte[]> get = api.get(blobPath(repo, empty.digest()));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
        assertThat(header(get, "Content-Length")).isEqualTo("0");
        assertThat(api.head(blobPath(repo, empty.digest())).statusCode()).isEqualTo(200);
        assertError(api.get(blobPath(repo, empty.digest()), "Range", "bytes=0-0"), 416, "RANGE_INVALID");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-0   | 0          | bytes 0-0/10",
            "bytes=2-    | 23456789   | bytes 2-9/10",
            "bytes=-3    | 789        | bytes 7-9/10",
            "bytes=5-100 | 56789      | bytes 5-9/10",
            "bytes=0-9   | 0123456789 | bytes 0-9/10",
            "bytes=-50   | 0123456789 | bytes 0-9/10",
            "bytes=9-9   | 9          | bytes 9-9/10",
            "' bytes=3-4 '| 34        | bytes 3-4/10",
    })
    void aSingleRangeIs206WithContentRange(String range, String body, String contentRange) {
        HttpResponse<byte[]> response = api.get(blobPath(rangeRepo, DIGITS.digest()), "Range", range);

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(new String(response.body(), UTF_8)).isEqualTo(body);
        assertThat(header(response, "Content-Range")).isEqualTo(contentRange);
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(body.length()));
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(DIGITS.digest().toString());
    }

    @Test
    void aRangedHeadHasTheRangesLengthAndNoBody() {
        HttpResponse<byte[]> response = api.head(blobPath(rangeRepo, DIGITS.digest()), "Range", "bytes=2-5");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo("4");
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 2-5/10");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bytes=10-20", "bytes=10-", "bytes=100-200", "bytes=5-2", "bytes=-0", "bytes=abc", "bytes=",
            "bytes=-", "bytes=0-1,3-4", "items=0-1", "0-1", "bytes=1-2-3", "bytes=99999999999999999999-", "bytes=0-99999999999999999999"})
    void anUnsatisfiableOrMalformedRangeIs416RangeInvalid(String range) {
        assertError(api.get(blobPath(rangeRepo, DIGITS.digest()), "Range", range), 416, "RANGE_INVALID");
    }

    @Test
    void aBlobWhoseFileWentMissingIs500UnknownNotAHungRequest() throws IOException {
        String repo = Api.uniqueRepository("blob");
        Blob blob = Images.pushBlob(api, repo, Images.randomBlob(3, 100_000)); // too big to be kept in the database
        String hex = blob.digest().hex();
        Files.delete(registry.dataDirectory().resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex));

        HttpResponse<byte[]> get = registry.send(registry.request(blobPath(repo, blob.digest())).GET());
        assertThat(get.statusCode()).isEqualTo(500);
        assertThat(new String(get.body(), UTF_8)).contains("\"code\":\"UNKNOWN\"");
    }

    @Test
    void anUnknownBlobIs404BlobUnknown() {
        String repo = Api.uniqueRepository("blob");
        Images.pushBlob(api, repo, Images.blob("something"));
        String unknown = Images.blob("never pushed").digest().toString();

        assertError(api.get(blobPath(repo, unknown)), 404, "BLOB_UNKNOWN");
        assertError(api.head(blobPath(repo, unknown)), 404, "BLOB_UNKNOWN");
        assertError(api.get(blobPath(Api.uniqueRepository("nothing"), unknown)), 404, "BLOB_UNKNOWN");
        assertError(api.get(blobPath(repo, Images.sha512("never pushed".getBytes(UTF_8)))), 404, "BLOB_UNKNOWN");
    }

    @Test
    void aBlobIsOnlyVisibleThroughTheRepositoryItWasPushedTo() {
        String a = Api.uniqueRepository("owner");
        String b = Api.uniqueRepository("other");
        Blob blob = Images.pushBlob(api, a, Images.blob("only in a"));
        Images.pushBlob(api, b, Images.blob("b has something else"));

        assertThat(api.get(blobPath(a, blob.digest())).statusCode()).isEqualTo(200);
        assertError(api.get(blobPath(b, blob.digest())), 404, "BLOB_UNKNOWN");
        assertError(api.head(blobPath(b, blob.digest())), 404, "BLOB_UNKNOWN");
        assertError(api.get(blobPath(b, blob.digest()), "Range", "bytes=0-1"), 404, "BLOB_UNKNOWN");
        assertError(api.delete(blobPath(b, blob.digest())), 404, "BLOB_UNKNOWN");
        assertThat(api.get(blobPath(a, blob.digest())).statusCode()).as("still in a after b's delete").isEqualTo(200);
    }

    @Test
    void deleteIs202ThenTheBlobIsGone() {
        String repo = Api.uniqueRepository("blob");
        Blob blob = Images.pushBlob(api, repo, Images.blob("to be deleted"));

        HttpResponse<byte[]> deleted = api.delete(blobPath(repo, blob.digest()));

        assertThat(deleted.statusCode()).isEqualTo(202);
        assertError(api.get(blobPath(repo, blob.digest())), 404, "BLOB_UNKNOWN");
        assertError(api.head(blobPath(repo, blob.digest())), 404, "BLOB_UNKNOWN");
        assertError(api.delete(blobPath(repo, blob.digest())), 404, "BLOB_UNKNOWN");
    }

    @Test
    void deletingFromOneRepositoryLeavesOthersAlone() {
        String a = Api.uniqueRepository("shared");
        String b = Api.uniqueRepository("shared");
        Blob blob = Images.blob("in two repositories");
        Images.pushBlob(api, a, blob);
        Images.pushBlob(api, b, blob);

        assertThat(api.delete(blobPath(a, blob.digest())).statusCode()).isEqualTo(202);

        assertError(api.get(blobPath(a, blob.digest())), 404, "BLOB_UNKNOWN");
        HttpResponse<byte[]> stillThere = api.get(blobPath(b, blob.digest()));
        assertThat(stillThere.statusCode()).isEqualTo(200);
        assertThat(stillThere.body()).isEqualTo(blob.content());
    }

    @Test
    void ifNoneMatchWithTheEtagIs304() {
        String repo = Api.uniqueRepository("etag");
        Blob blob = Images.pushBlob(api, repo, Images.blob("cache me"));
        String etag = header(api.head(blobPath(repo, blob.digest())), "ETag");
        assertThat(etag).isEqualTo("\"" + blob.digest() + "\"");

        HttpResponse<byte[]> notModified = api.get(blobPath(repo, blob.digest()), "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(header(notModified, "ETag")).isEqualTo(etag);
        assertThat(api.get(blobPath(repo, blob.digest()), "If-None-Match", "W/" + etag).statusCode()).isEqualTo(304);
        assertThat(api.get(blobPath(repo, blob.digest()), "If-None-Match", "\"other\", " + etag).statusCode()).isEqualTo(304);
        assertThat(api.get(blobPath(repo, blob.digest()), "If-None-Match", "*").statusCode()).isEqualTo(304);

        HttpResponse<byte[]> changed = api.get(blobPath(repo, blob.digest()), "If-None-Match", "\"sha256:" + "0".repeat(64) + "\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(blob.content());
    }

    @Test
    void aSha512BlobIsServedUnderItsDigest() {
        String repo = Api.uniqueRepository("sha512");
        byte[] content = "hashed with sha512".getBytes(UTF_8);
        var digest = Images.sha512(content);
        HttpResponse<byte[]> pushed = api.post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content);
        assertThat(pushed.statusCode()).isEqualTo(201);
        assertThat(header(pushed, "Docker-Content-Digest")).isEqualTo(digest.toString());

        HttpResponse<byte[]> response = api.get(blobPath(repo, digest));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest.toString());
    }
}
