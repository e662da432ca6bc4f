package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.header;
import static dev.berth.server.it.Api.withQuery;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.it.Images.Blob;
import dev.berth.server.it.Images.PatternStream;
import dev.berth.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code /v2/<name>/blobs/uploads/}: every way of uploading a blob, and every way of getting it wrong. */
class UploadApiTest extends SharedRegistryTest {
    /** POST without a digest: asserts the 202 session answer and returns its {@code Location}. */
    static String startUpload(Api api, String repo) {
        HttpResponse<byte[]> response = api.post("/v2/" + repo + "/blobs/uploads/", null);
        assertThat(response.statusCode()).isEqualTo(202);
        String location = header(response, "Location");
        assertThat(location).contains("/v2/" + repo + "/blobs/uploads/");
        assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
        assertThat(location).contains(header(response, "Docker-Upload-UUID"));
        assertThat(header(response, "Range")).isEqualTo("0-0");
        return location;
    }

    private static void assertServed(String repo, Blob blob) {
        HttpResponse<byte[]> response = api.get("/v2/" + repo + "/blobs/" + blob.digest());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(blob.content());
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(blob.digest().toString());
    }

    private static void assertCreated(HttpResponse<byte[]> response, String repo, Digest digest) {
        assertThat(response.statusCode()).as(new String(response.body(), UTF_8)).isEqualTo(201);
        assertThat(header(response, "Location")).endsWith("/v2/" + repo + "/blobs/" + digest);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest.toString());
    }

    private static HttpResponse<byte[]> patchChunk(String location, byte[] body, long first) {
        return api.patch(location, body, "Content-Type", "application/octet-stream",
                "Content-Range", first + "-" + (first + body.length - 1));
    }

    private static void assertProgress(HttpResponse<byte[]> response, int status, String range) {
        assertThat(response.statusCode()).as(new String(response.body(), UTF_8)).isEqualTo(status);
        assertThat(header(response, "Range")).isEqualTo(range);
        assertThat(header(response, "Location")).contains("/blobs/uploads/");
        assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
    }

    @Test
    void monolithicPostWithDigestIs201() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.randomBlob(10, 5000);

        HttpResponse<byte[]> response = api.post("/v2/" + repo + "/blobs/uploads/?digest=" + blob.digest(), blob.content(),
                "Content-Type", "application/octet-stream");

        assertCreated(response, repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void monolithicPostWithAWrongDigestIs400DigestInvalidAndStoresNothing() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("the content");
        Blob other = Images.blob("other content");

        assertError(api.post("/v2/" + repo + "/blobs/uploads/?digest=" + other.digest(), blob.content()), 400, "DIGEST_INVALID");

        assertError(api.get("/v2/" + repo + "/blobs/" + other.digest()), 404, "BLOB_UNKNOWN");
        assertError(api.get("/v2/" + repo + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void postAnnouncesTheMinimumChunkLength() {
        HttpResponse<byte[]> response = api.post("/v2/" + Api.uniqueRepository("upload") + "/blobs/uploads/", null);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Long.parseLong(header(response, "OCI-Chunk-Min-Length"))).isPositive();
    }

    @Test
    void postThenPutWithTheBody() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.randomBlob(11, 3000);
        String location = startUpload(api, repo);

        HttpResponse<byte[]> response = api.put(withQuery(location, "digest=" + blob.digest()), blob.content(),
                "Content-Type", "application/octet-stream");

        assertCreated(response, repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void streamedPatchWithoutContentRangeThenPutWithoutBody() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.randomBlob(12, 200_000);
        String location = startUpload(api, repo);

        HttpResponse<byte[]> patched = api.patch(location, blob.content(), "Content-Type", "application/octet-stream");
        assertProgress(patched, 202, "0-199999");

        HttpResponse<byte[]> done = api.put(withQuery(header(patched, "Location"), "digest=" + blob.digest()), null);
        assertCreated(done, repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void streamedPatchesWithChunkedTransferEncoding() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.randomBlob(13, 300_000);
        byte[] first = Arrays.copyOfRange(blob.content(), 0, 100_000);
        byte[] second = Arrays.copyOfRange(blob.content(), 100_000, 300_000);
        String location = startUpload(api, repo);

        // An InputStream body has no length: java.net.http sends it chunked.
        HttpResponse<byte[]> one = api.send(api.request(location)
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(first))));
        assertProgress(one, 202, "0-99999");
        HttpResponse<byte[]> two = api.send(api.request(header(one, "Location"))
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(second))));
        assertProgress(two, 202, "0-299999");

        HttpResponse<byte[]> done = api.send(api.request(withQuery(header(two, "Location"), "digest=" + blob.digest()))
                .PUT(BodyPublishers.ofInputStream(InputStream::nullInputStream)));
        assertCreated(done, repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void monolithicPutWithChunkedTransferEncoding() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.randomBlob(14, 70_000);
        String location = startUpload(api, repo);

        HttpResponse<byte[]> done = api.send(api.request(withQuery(location, "digest=" + blob.digest()))
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob.content()))));

        assertCreated(done, repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void chunkedPatchesWithContentRange() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("0123456789abcdefghij");
        String location = startUpload(api, repo);

        HttpResponse<byte[]> one = patchChunk(location, Arrays.copyOfRange(blob.content(), 0, 10), 0);
        assertProgress(one, 202, "0-9");
        HttpResponse<byte[]> two = patchChunk(header(one, "Location"), Arrays.copyOfRange(blob.content(), 10, 20), 10);
        assertProgress(two, 202, "0-19");
        assertThat(header(two, "Docker-Upload-UUID")).isEqualTo(header(one, "Docker-Upload-UUID"));

        assertCreated(api.put(withQuery(header(two, "Location"), "digest=" + blob.digest()), null), repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void contentRangeMayCarryTheUnitAndTheTotal() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("0123456789abcdefghij");
        String location = startUpload(api, repo);

        assertProgress(api.patch(location, Arrays.copyOfRange(blob.content(), 0, 10), "Content-Range", "bytes 0-9/*"), 202, "0-9");
        assertProgress(api.patch(location, Arrays.copyOfRange(blob.content(), 10, 20), "Content-Range", "bytes 10-19/20"), 202, "0-19");

        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), null), repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void anEmptyBlobCanBeUploadedThroughASession() {
        String repo = Api.uniqueRepository("upload");
        Blob empty = Images.blob(new byte[0]);
        String location = startUpload(api, repo);

        assertCreated(api.put(withQuery(location, "digest=" + empty.digest()), null), repo, empty.digest());
        assertServed(repo, empty);
    }

    @Test
    void aFinalChunkThatDisagreesWithItsContentRangeIs400SizeInvalid() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("0123456789abcdefghij");
        String location = startUpload(api, repo);
        assertProgress(patchChunk(location, Arrays.copyOfRange(blob.content(), 0, 10), 0), 202, "0-9");

        assertError(api.put(withQuery(location, "digest=" + blob.digest()), "abc".getBytes(UTF_8), "Content-Range", "10-19"), 400,
                "SIZE_INVALID");

        assertError(api.get("/v2/" + repo + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertProgress(api.get(location), 204, "0-9");
        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), Arrays.copyOfRange(blob.content(), 10, 20),
                "Content-Range", "10-19"), repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void anOutOfOrderChunkIs416AndTheUploadCarriesOn() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("0123456789abcdefghij");
        String location = startUpload(api, repo);
        assertProgress(patchChunk(location, Arrays.copyOfRange(blob.content(), 0, 10), 0), 202, "0-9");

        assertError(patchChunk(location, "klmnopqrst".getBytes(UTF_8), 20), 416, "RANGE_INVALID");
        assertError(patchChunk(location, "x".getBytes(UTF_8), 11), 416, "RANGE_INVALID");

        assertProgress(api.get(location), 204, "0-9");
        assertProgress(patchChunk(location, Arrays.copyOfRange(blob.content(), 10, 20), 10), 202, "0-19");
        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), null), repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void aRetriedChunkIs416AndTheUploadStillCompletes() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("0123456789abcdefghijKLMNOPQRST");
        String location = startUpload(api, repo);
        byte[] first = Arrays.copyOfRange(blob.content(), 0, 10);
        byte[] second = Arrays.copyOfRange(blob.content(), 10, 20);
        assertProgress(patchChunk(location, first, 0), 202, "0-9");
        assertProgress(patchChunk(location, second, 10), 202, "0-19");

        assertError(patchChunk(location, second, 10), 416, "RANGE_INVALID");
        assertError(patchChunk(location, first, 0), 416, "RANGE_INVALID");

        assertProgress(api.get(location), 204, "0-19");
        HttpResponse<byte[]> done = api.put(withQuery(location, "digest=" + blob.digest()),
                Arrays.copyOfRange(blob.content(), 20, 30), "Content-Range", "20-29");
        assertCreated(done, repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void statusIs204WithTheRange() {
        String repo = Api.uniqueRepository("upload");
        String location = startUpload(api, repo);

        HttpResponse<byte[]> empty = api.get(location);
        assertProgress(empty, 204, "0-0");
        assertThat(empty.body()).isEmpty();
        assertThat(header(empty, "Location")).contains(header(empty, "Docker-Upload-UUID"));

        api.patch(location, new byte[1234]);
        assertProgress(api.get(location), 204, "0-1233");
    }

    @Test
    void putWithTheFinalChunk() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.randomBlob(15, 5000);
        String location = startUpload(api, repo);
        assertProgress(api.patch(location, Arrays.copyOfRange(blob.content(), 0, 4000)), 202, "0-3999");

        HttpResponse<byte[]> done = api.put(withQuery(location, "digest=" + blob.digest()),
                Arrays.copyOfRange(blob.content(), 4000, 5000), "Content-Type", "application/octet-stream");

        assertCreated(done, repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void deleteCancelsTheUpload() {
        String repo = Api.uniqueRepository("upload");
        String location = startUpload(api, repo);
        api.patch(location, "some bytes".getBytes(UTF_8));

        HttpResponse<byte[]> cancelled = api.delete(location);
        assertThat(cancelled.statusCode()).isEqualTo(204);

        assertError(api.patch(location, "more".getBytes(UTF_8)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.put(withQuery(location, "digest=" + Images.blob("some bytes").digest()), null), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void aWrongDigestAtPutIs400DigestInvalidAndTheUploadIsGone() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("what was uploaded");
        Digest claimed = Images.blob("what the client claims").digest();
        String location = startUpload(api, repo);
        api.patch(location, blob.content());

        assertError(api.put(withQuery(location, "digest=" + claimed), null), 400, "DIGEST_INVALID");

        assertError(api.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.get("/v2/" + repo + "/blobs/" + claimed), 404, "BLOB_UNKNOWN");
        assertError(api.get("/v2/" + repo + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void aContentRangeThatDisagreesWithTheBodyIs400SizeInvalid() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("0123456789abcdefghij");
        String location = startUpload(api, repo);
        assertProgress(patchChunk(location, Arrays.copyOfRange(blob.content(), 0, 10), 0), 202, "0-9");

        assertError(api.patch(location, "abcde".getBytes(UTF_8), "Content-Range", "10-19"), 400, "SIZE_INVALID");
        assertError(api.patch(location, "abcdefghijklmnopqrst".getBytes(UTF_8), "Content-Range", "10-19"), 400, "SIZE_INVALID");

        // The failed chunks were cut off again: the upload goes on from where it was.
        assertProgress(api.get(location), 204, "0-9");
        assertProgress(patchChunk(location, Arrays.copyOfRange(blob.content(), 10, 20), 10), 202, "0-19");
        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), null), repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void aMissingDigestAtPutIs400DigestInvalidAndTheUploadSurvives() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("upload without a digest");
        String location = startUpload(api, repo);
        api.patch(location, blob.content());

        assertError(api.put(location, null), 400, "DIGEST_INVALID");
        assertError(api.put(withQuery(location, "digest="), null), 400, "DIGEST_INVALID");

        assertProgress(api.get(location), 204, "0-" + (blob.size() - 1));
        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), null), repo, blob.digest());
    }

    @Test
    void aDuplicateDigestAtPutIs400DigestInvalid() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("upload with two digests");
        String location = startUpload(api, repo);
        api.patch(location, blob.content());

        assertError(api.put(withQuery(withQuery(location, "digest=" + blob.digest()), "digest=" + blob.digest()), null),
                400, "DIGEST_INVALID");
        assertError(api.post("/v2/" + repo + "/blobs/uploads/?digest=" + blob.digest() + "&digest=" + blob.digest(),
                blob.content()), 400, "DIGEST_INVALID");
    }

    @Test
    void anUnknownSessionIs404BlobUploadUnknown() {
        String repo = Api.uniqueRepository("upload");
        startUpload(api, repo);
        for (String id : new String[] {"3f1e6d4c-0000-4000-8000-000000000000", "nope", "..", "a.b"}) {
            String location = "/v2/" + repo + "/blobs/uploads/" + id;
            assertError(api.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(api.patch(location, "x".getBytes(UTF_8)), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(api.put(withQuery(location, "digest=" + Images.blob("x").digest()), "x".getBytes(UTF_8)),
                    404, "BLOB_UPLOAD_UNKNOWN");
            assertError(api.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
        }
    }

    @Test
    void aSessionOfOneRepositoryIsUnknownInAnother() {
        String a = Api.uniqueRepository("upload");
        String b = Api.uniqueRepository("upload");
        Blob blob = Images.blob("started in a");
        String location = startUpload(api, a);
        String id = location.substring(location.lastIndexOf('/') + 1);
        String viaB = "/v2/" + b + "/blobs/uploads/" + id;

        assertError(api.get(viaB), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.patch(viaB, blob.content()), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.put(withQuery(viaB, "digest=" + blob.digest()), blob.content()), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.delete(viaB), 404, "BLOB_UPLOAD_UNKNOWN");

        assertProgress(api.get(location), 204, "0-0");
        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), blob.content()), a, blob.digest());
        assertError(api.get("/v2/" + b + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void aCompletedUploadIsGone() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("complete once");
        String location = startUpload(api, repo);
        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), blob.content()), repo, blob.digest());

        assertError(api.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.patch(location, "more".getBytes(UTF_8)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(api.put(withQuery(location, "digest=" + blob.digest()), null), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void aMalformedContentRangeIs416() {
        String repo = Api.uniqueRepository("upload");
        String location = startUpload(api, repo);

        for (String range : new String[] {"garbage", "5-2", "-1-3", "0-", "bytes=0-1,2-3"}) {
            assertError(api.patch(location, "ab".getBytes(UTF_8), "Content-Range", range), 416, "RANGE_INVALID");
        }
        assertProgress(api.get(location), 204, "0-0");
    }

    @Test
    void uploadingTheSameBlobTwiceIsFine() {
        String repo = Api.uniqueRepository("upload");
        Blob blob = Images.blob("pushed twice");
        Images.pushBlob(api, repo, blob);
        Images.pushBlob(api, repo, blob);
        String location = startUpload(api, repo);
        assertCreated(api.put(withQuery(location, "digest=" + blob.digest()), blob.content()), repo, blob.digest());
        assertServed(repo, blob);
    }

    @Test
    void aSha512UploadWorksInEveryStyle() {
        String repo = Api.uniqueRepository("sha512");
        Blob monolithic = Images.randomBlob(16, 10_000);
        Digest d1 = Images.sha512(monolithic.content());
        assertCreated(api.post("/v2/" + repo + "/blobs/uploads/?digest=" + d1, monolithic.content()), repo, d1);

        Blob chunked = Images.randomBlob(17, 10_000);
        Digest d2 = Images.sha512(chunked.content());
        String location = startUpload(api, repo);
        patchChunk(location, Arrays.copyOfRange(chunked.content(), 0, 6000), 0);
        assertCreated(api.put(withQuery(location, "digest=" + d2), Arrays.copyOfRange(chunked.content(), 6000, 10_000)), repo, d2);

        Blob large = Images.randomBlob(18, 3 * 1024 * 1024 + 123);
        Digest d3 = Images.sha512(large.content());
        String largeLocation = startUpload(api, repo);
        patchChunk(largeLocation, Arrays.copyOfRange(large.content(), 0, 1_000_001), 0);
        assertCreated(api.put(withQuery(largeLocation, "digest=" + d3),
                Arrays.copyOfRange(large.content(), 1_000_001, large.content().length)), repo, d3);

        assertThat(api.get("/v2/" + repo + "/blobs/" + d1).body()).isEqualTo(monolithic.content());
        assertThat(api.get("/v2/" + repo + "/blobs/" + d2).body()).isEqualTo(chunked.content());
        assertThat(api.get("/v2/" + repo + "/blobs/" + d3).body()).isEqualTo(large.content());
        Digest wrong = Images.sha512("something else".getBytes(UTF_8));
        assertError(api.post("/v2/" + repo + "/blobs/uploads/?digest=" + wrong, monolithic.content()), 400, "DIGEST_INVALID");
    }

    @Test
    void a64MiBStreamedUploadRoundTrips() throws IOException {
        String repo = Api.uniqueRepository("big");
        long seed = 64;
        long size = 64L * 1024 * 1024 + 123;
        Digest digest = PatternStream.digest(seed, size);
        String location = startUpload(api, repo);

        HttpResponse<byte[]> patched = api.send(api.request(location)
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofInputStream(() -> new PatternStream(seed, size))));
        assertProgress(patched, 202, "0-" + (size - 1));
        assertCreated(api.put(withQuery(header(patched, "Location"), "digest=" + digest), null), repo, digest);

        HttpResponse<byte[]> head = api.head("/v2/" + repo + "/blobs/" + digest);
        assertThat(header(head, "Content-Length")).isEqualTo(Long.toString(size));
        HttpResponse<InputStream> get = api.send(api.request("/v2/" + repo + "/blobs/" + digest).GET(), BodyHandlers.ofInputStream());
        assertThat(get.statusCode()).isEqualTo(200);
        MessageDigest sha256 = Digest.newSha256();
        long read = 0;
        try (InputStream in = get.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
                read += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(read).isEqualTo(size);
        assertThat(Digest.of(sha256.digest())).isEqualTo(digest);

        byte[] tail = api.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=-7").body();
        try (InputStream expected = new PatternStream(seed, size)) {
            expected.skipNBytes(size - 7);
            assertThat(tail).isEqualTo(expected.readAllBytes());
        }
    }

    @Test
    void a16MiBMonolithicChunkedPostRoundTrips() {
        String repo = Api.uniqueRepository("big");
        long seed = 16;
        long size = 16L * 1024 * 1024 - 5;
        Digest digest = PatternStream.digest(seed, size);

        HttpResponse<byte[]> response = api.send(api.request("/v2/" + repo + "/blobs/uploads/?digest=" + digest)
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofInputStream(() -> new PatternStream(seed, size))));

        assertCreated(response, repo, digest);
        assertThat(header(api.head("/v2/" + repo + "/blobs/" + digest), "Content-Length")).isEqualTo(Long.toString(size));
    }
}
