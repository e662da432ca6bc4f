package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.header;
import static dev.berth.server.it.Api.json;
import static dev.berth.server.it.Api.texts;
import static dev.berth.server.it.Api.withQuery;
import static dev.berth.server.it.Images.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.server.it.Images.Blob;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The workflows of the OCI distribution-spec conformance suite ({@code conformance/0[1-4]_*_test.go}),
 * step by step and in its order: pull, push, content discovery, content management. Steps build on
 * the ones before, as in the suite; each category has its own repository.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConformanceWorkflowTest extends SharedRegistryTest {
    /** The codes the suite accepts in an error body. */
    private static final Set<String> SPEC_ERROR_CODES = Set.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN",
            "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID", "NAME_UNKNOWN",
            "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS");

    private static final String PULL = "conformance/pull";
    private static final String PUSH = "conformance/push";
    private static final String CROSSMOUNT = "conformance/crossmount";
    private static final String DISCOVERY = "conformance/discovery";
    private static final String MANAGEMENT = "conformance/management";

    private static final Blob CONFIG = Images.blob("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}");
    private static final Blob LAYER = Images.randomBlob(4242, 2048);
    private static final byte[] MANIFEST = Images.oddly(Images.ociManifest(CONFIG, LAYER));
    private static final Digest MANIFEST_DIGEST = Digest.sha256(MANIFEST);
    private static final Digest NONEXISTENT = Images.blob("nonexistent").digest();

    private static String lastChunkLocation;
    private static String staleChunkLocation;
    private static final List<String> DISCOVERY_TAGS = List.of("test0", "test1", "test2", "test3");
    private static byte[] referrerA;
    private static byte[] referrerB;

    private static String blobPath(String repo, Object digest) {
        return "/v2/" + repo + "/blobs/" + digest;
    }

    private static String manifestPath(String repo, Object reference) {
        return "/v2/" + repo + "/manifests/" + reference;
    }

    /** POST then PUT ?digest= with the body: the suite's way of populating a repository. */
    private static void postThenPut(String repo, Blob blob) {
        String location = UploadApiTest.startUpload(api, repo);
        HttpResponse<byte[]> put = api.put(withQuery(location, "digest=" + blob.digest()), blob.content(),
                "Content-Type", "application/octet-stream");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Location")).isNotBlank();
    }

    // ---- pull ------------------------------------------------------------------------------------

    @Test
    @Order(100)
    @DisplayName("pull: populate registry with test blob, layer and manifest")
    void pullSetup() {
        postThenPut(PULL, CONFIG);
        postThenPut(PULL, LAYER);
        HttpResponse<byte[]> put = Images.putManifest(api, PULL, "tagtest0", MediaTypes.OCI_MANIFEST, MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Location")).isNotBlank();
    }

    @Test
    @Order(101)
    @DisplayName("pull: HEAD and GET of blobs")
    void pullBlobs() {
        assertThat(api.head(blobPath(PULL, NONEXISTENT)).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> head = api.head(blobPath(PULL, CONFIG.digest()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Content-Length")).isEqualTo(Long.toString(CONFIG.size()));
        assertThat(api.get(blobPath(PULL, NONEXISTENT)).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> get = api.get(blobPath(PULL, CONFIG.digest()));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(CONFIG.content());
        assertThat(header(get, "Docker-Content-Digest")).isEqualTo(CONFIG.digest().toString());
    }

    @Test
    @Order(102)
    @DisplayName("pull: HEAD and GET of manifests by digest and tag")
    void pullManifests() {
        assertThat(api.head(manifestPath(PULL, NONEXISTENT)).statusCode()).isEqualTo(404);
        for (String reference : List.of(MANIFEST_DIGEST.toString(), "tagtest0")) {
            HttpResponse<byte[]> head = api.head(manifestPath(PULL, reference), "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(header(head, "Docker-Content-Digest")).isEqualTo(MANIFEST_DIGEST.toString());
        }
        assertThat(api.get(manifestPath(PULL, NONEXISTENT)).statusCode()).isEqualTo(404);
        assertThat(api.get(manifestPath(PULL, "nonexistent")).statusCode()).isEqualTo(404);
        for (String reference : List.of(MANIFEST_DIGEST.toString(), "tagtest0")) {
            HttpResponse<byte[]> get = api.get(manifestPath(PULL, reference), "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(MANIFEST);
            assertThat(header(get, "Content-Type")).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(Digest.sha256(get.body())).isEqualTo(MANIFEST_DIGEST);
        }
    }

    @Test
    @Order(103)
    @DisplayName("pull: a 400 response body contains an OCI-conforming JSON message")
    void pullErrorCodes() {
        HttpResponse<byte[]> response = Images.putManifest(api, PULL, "sha256:totallywrong", MediaTypes.OCI_MANIFEST,
                "{\"invalid\":\"manifest\"}".getBytes(UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode errors = json(response).get("errors");
        assertThat(errors).isNotEmpty();
        for (JsonNode error : errors) {
            assertThat(SPEC_ERROR_CODES).contains(error.get("code").asText());
            assertThat(error.get("message").isTextual()).isTrue();
        }
        JsonNode invalid = assertError(Images.putManifest(api, PULL, "bad", MediaTypes.OCI_MANIFEST, "{\"invalid\":".getBytes(UTF_8)),
                400, "MANIFEST_INVALID");
        assertThat(invalid.get("message").asText()).isNotBlank();
    }

    // ---- push ------------------------------------------------------------------------------------

    @Test
    @Order(200)
    @DisplayName("push: streamed blob upload (POST, PATCH, PUT)")
    void pushStreamed() {
        Blob blob = Images.randomBlob(201, 10_000);
        String location = UploadApiTest.startUpload(api, PUSH);
        HttpResponse<byte[]> patch = api.patch(location, blob.content(), "Content-Type", "application/octet-stream");
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(header(patch, "Location")).isNotBlank();
        HttpResponse<byte[]> put = api.put(withQuery(header(patch, "Location"), "digest=" + blob.digest()), null);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Location")).isNotBlank();
        assertThat(api.get(blobPath(PUSH, blob.digest())).body()).isEqualTo(blob.content());
    }

    @Test
    @Order(201)
    @DisplayName("push: monolithic blob upload (POST ?digest=, and POST then PUT)")
    void pushMonolithic() {
        assertThat(api.get(blobPath(PUSH, CONFIG.digest())).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> post = api.post("/v2/" + PUSH + "/blobs/uploads/?digest=" + CONFIG.digest(), CONFIG.content(),
                "Content-Type", "application/octet-stream");
        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(api.get(header(post, "Location")).statusCode()).isEqualTo(200);

        postThenPut(PUSH, CONFIG);
        assertThat(api.get(blobPath(PUSH, CONFIG.digest())).body()).isEqualTo(CONFIG.content());
        postThenPut(PUSH, LAYER);
        assertThat(api.get(blobPath(PUSH, LAYER.digest())).body()).isEqualTo(LAYER.content());
    }

    @Test
    @Order(202)
    @DisplayName("push: chunked blob upload, out-of-order and retried chunks, stale status, final chunk")
    void pushChunked() {
        Blob blob = Images.randomBlob(202, 3000);
        byte[] chunkA = Arrays.copyOfRange(blob.content(), 0, 1000);
        byte[] chunkB = Arrays.copyOfRange(blob.content(), 1000, 2000);
        byte[] chunkC = Arrays.copyOfRange(blob.content(), 2000, 3000);
        String location = UploadApiTest.startUpload(api, PUSH);

        HttpResponse<byte[]> outOfOrder = api.patch(location, chunkB, "Content-Type", "application/octet-stream",
                "Content-Range", "1000-1999");
        assertThat(outOfOrder.statusCode()).isEqualTo(416);

        HttpResponse<byte[]> first = api.patch(location, chunkA, "Content-Type", "application/octet-stream", "Content-Range", "0-999");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(header(first, "Range")).isEqualTo("0-999");
        staleChunkLocation = location;
        lastChunkLocation = header(first, "Location");

        HttpResponse<byte[]> retry = api.patch(lastChunkLocation, chunkA, "Content-Type", "application/octet-stream",
                "Content-Range", "0-999");
        assertThat(retry.statusCode()).isEqualTo(416);

        HttpResponse<byte[]> stale = api.get(staleChunkLocation);
        assertThat(stale.statusCode()).isEqualTo(204);
        assertThat(header(stale, "Range")).isEqualTo("0-999");
        assertThat(header(stale, "Location")).isNotBlank();

        HttpResponse<byte[]> second = api.patch(header(stale, "Location"), chunkB, "Content-Type", "application/octet-stream",
                "Content-Range", "1000-1999");
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(header(second, "Range")).isEqualTo("0-1999");

        HttpResponse<byte[]> last = api.patch(header(second, "Location"), chunkC, "Content-Type", "application/octet-stream",
                "Content-Range", "2000-2999");
        assertThat(last.statusCode()).isEqualTo(202);
        HttpResponse<byte[]> put = api.put(withQuery(header(last, "Location"), "digest=" + blob.digest()), null);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(api.get(blobPath(PUSH, blob.digest())).body()).isEqualTo(blob.content());
    }

    @Test
    @Order(203)
    @DisplayName("push: cross-repository blob mount")
    void pushCrossMount() {
        assumeFalse(RunningRegistry.tokenSuite(),
                "automatic content discovery mounts only from repositories the token names; this run's tokens name one");
        HttpResponse<byte[]> withoutFrom = api.post("/v2/" + CROSSMOUNT + "/blobs/uploads/?mount=" + CONFIG.digest(), null);
        assertThat(withoutFrom.statusCode()).as("automatic content discovery").isEqualTo(201);

        HttpResponse<byte[]> mounted = api.post("/v2/" + CROSSMOUNT + "/blobs/uploads/?mount=" + LAYER.digest() + "&from=" + PUSH, null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(header(mounted, "Location")).isNotBlank();
        assertThat(api.get(header(mounted, "Location")).statusCode()).isEqualTo(200);
        assertThat(api.get(blobPath(CROSSMOUNT, LAYER.digest())).body()).isEqualTo(LAYER.content());

        HttpResponse<byte[]> nonexistent = api.post("/v2/" + CROSSMOUNT + "/blobs/uploads/?mount=" + NONEXISTENT + "&from=" + PUSH, null);
        assertThat(nonexistent.statusCode()).isEqualTo(202);
        assertThat(header(nonexistent, "Location")).isNotBlank();
    }

    @Test
    @Order(204)
    @DisplayName("push: manifest upload by tag, without layers, and by digest only")
    void pushManifests() {
        assertThat(api.get(manifestPath(PUSH, "tagtest0")).statusCode()).isEqualTo(404);

        HttpResponse<byte[]> tagged = Images.putManifest(api, PUSH, "tagtest0", MediaTypes.OCI_MANIFEST, MANIFEST);
        assertThat(tagged.statusCode()).isEqualTo(201);
        assertThat(header(tagged, "Location")).isNotBlank();
        assertThat(api.get(header(tagged, "Location")).body()).isEqualTo(MANIFEST);

        byte[] noLayers = bytes(Images.ociManifest(CONFIG));
        assertThat(Images.putManifest(api, PUSH, "emptylayer", MediaTypes.OCI_MANIFEST, noLayers).statusCode()).isEqualTo(201);

        Blob config = Images.pushBlob(api, PUSH, Images.blob("{\"digest-only\":true}"));
        byte[] untagged = bytes(Images.ociManifest(config, LAYER));
        Digest digest = Digest.sha256(untagged);
        HttpResponse<byte[]> byDigest = Images.putManifest(api, PUSH, digest.toString(), MediaTypes.OCI_MANIFEST, untagged);
        assertThat(byDigest.statusCode()).isEqualTo(201);
        assertThat(header(byDigest, "Docker-Content-Digest")).isEqualTo(digest.toString());
        assertThat(api.get(manifestPath(PUSH, digest)).body()).isEqualTo(untagged);
        assertThat(texts(json(api.get("/v2/" + PUSH + "/tags/list")).get("tags"))).containsExactly("emptylayer", "tagtest0");
    }

    // ---- content discovery -----------------------------------------------------------------------

    @Test
    @Order(300)
    @DisplayName("discovery: populate registry with tags and references")
    void discoverySetup() {
        Images.pushBlob(api, DISCOVERY, CONFIG);
        Images.pushBlob(api, DISCOVERY, LAYER);
        for (String tag : DISCOVERY_TAGS) {
            Images.pushManifest(api, DISCOVERY, tag, MediaTypes.OCI_MANIFEST, MANIFEST);
        }
        Images.pushBlob(api, DISCOVERY, Images.EMPTY_CONFIG);
        referrerA = pushReferrer("application/vnd.oci.conformance.a", Map.of("org.opencontainers.conformance.test", "a"));
        referrerB = pushReferrer("application/vnd.oci.conformance.b", Map.of("org.opencontainers.conformance.test", "b"));
    }

    private static byte[] pushReferrer(String artifactType, Map<String, String> annotations) {
        ObjectNode artifact = Images.artifact(artifactType, annotations, Images.pushBlob(api, DISCOVERY, Images.blob(artifactType)));
        artifact.set("subject", Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, MANIFEST));
        byte[] bytes = bytes(artifact);
        HttpResponse<byte[]> put = Images.putManifest(api, DISCOVERY, Digest.sha256(bytes).toString(), MediaTypes.OCI_MANIFEST, bytes);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "OCI-Subject")).isEqualTo(MANIFEST_DIGEST.toString());
        return bytes;
    }

    @Test
    @Order(301)
    @DisplayName("discovery: tags list, limited by n, started by last")
    void discoveryTags() {
        HttpResponse<byte[]> all = api.get("/v2/" + DISCOVERY + "/tags/list");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(texts(json(all).get("tags"))).containsExactlyElementsOf(DISCOVERY_TAGS);

        HttpResponse<byte[]> limited = api.get("/v2/" + DISCOVERY + "/tags/list?n=2");
        assertThat(texts(json(limited).get("tags"))).containsExactly("test0", "test1");
        assertThat(Api.nextLink(limited)).isPresent();

        HttpResponse<byte[]> started = api.get("/v2/" + DISCOVERY + "/tags/list?n=2&last=test1");
        assertThat(texts(json(started).get("tags"))).containsExactly("test2", "test3");

        assertThat(api.collectPages(Api.nextLink(limited).get(), "tags")).containsExactly("test2", "test3");
    }

    @Test
    @Order(302)
    @DisplayName("discovery: referrers, filtered, of a missing manifest")
    void discoveryReferrers() {
        HttpResponse<byte[]> none = api.get("/v2/" + DISCOVERY + "/referrers/" + NONEXISTENT);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(header(none, "Content-Type")).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(json(none).get("manifests")).isEmpty();

        HttpResponse<byte[]> listed = api.get("/v2/" + DISCOVERY + "/referrers/" + MANIFEST_DIGEST);
        assertThat(listed.statusCode()).isEqualTo(200);
        List<String> digests = new ArrayList<>();
        json(listed).get("manifests").forEach(m -> digests.add(m.get("digest").asText()));
        assertThat(digests).containsExactlyInAnyOrder(Digest.sha256(referrerA).toString(), Digest.sha256(referrerB).toString());

        HttpResponse<byte[]> filtered = api.get("/v2/" + DISCOVERY + "/referrers/" + MANIFEST_DIGEST
                + "?artifactType=application/vnd.oci.conformance.a");
        assertThat(filtered.statusCode()).isEqualTo(200);
        assertThat(header(filtered, "OCI-Filters-Applied")).isEqualTo("artifactType");
        JsonNode only = json(filtered).get("manifests");
        assertThat(only).hasSize(1);
        assertThat(only.get(0).get("artifactType").asText()).isEqualTo("application/vnd.oci.conformance.a");
        assertThat(only.get(0).get("annotations").get("org.opencontainers.conformance.test").asText()).isEqualTo("a");
    }

    // ---- content management ----------------------------------------------------------------------

    @Test
    @Order(400)
    @DisplayName("management: populate registry")
    void managementSetup() {
        postThenPut(MANAGEMENT, CONFIG);
        postThenPut(MANAGEMENT, LAYER);
        Images.pushManifest(api, MANAGEMENT, "tagtest0", MediaTypes.OCI_MANIFEST, MANIFEST);
        Images.pushManifest(api, MANAGEMENT, "tagtest1", MediaTypes.OCI_MANIFEST, MANIFEST);
    }

    @Test
    @Order(401)
    @DisplayName("management: delete a tag")
    void managementDeleteTag() {
        assertThat(api.delete(manifestPath(MANAGEMENT, "tagtest0")).statusCode()).isEqualTo(202);
        assertThat(api.get(manifestPath(MANAGEMENT, "tagtest0")).statusCode()).isEqualTo(404);
        assertThat(texts(json(api.get("/v2/" + MANAGEMENT + "/tags/list")).get("tags"))).containsExactly("tagtest1");
        assertThat(api.get(manifestPath(MANAGEMENT, MANIFEST_DIGEST)).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(402)
    @DisplayName("management: delete a manifest")
    void managementDeleteManifest() {
        assertThat(api.delete(manifestPath(MANAGEMENT, MANIFEST_DIGEST)).statusCode()).isEqualTo(202);
        assertThat(api.get(manifestPath(MANAGEMENT, MANIFEST_DIGEST)).statusCode()).isEqualTo(404);
        assertThat(api.head(manifestPath(MANAGEMENT, MANIFEST_DIGEST)).statusCode()).isEqualTo(404);
        assertThat(api.get(manifestPath(MANAGEMENT, "tagtest1")).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> tags = api.get("/v2/" + MANAGEMENT + "/tags/list");
        if (tags.statusCode() == 200) {
            assertThat(texts(json(tags).get("tags"))).isEmpty();
        } else {
            assertError(tags, 404, "NAME_UNKNOWN");
        }
        assertThat(api.delete(manifestPath(MANAGEMENT, MANIFEST_DIGEST)).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(403)
    @DisplayName("management: delete blobs")
    void managementDeleteBlobs() {
        for (Blob blob : List.of(CONFIG, LAYER)) {
            assertThat(api.delete(blobPath(MANAGEMENT, blob.digest())).statusCode()).isEqualTo(202);
            assertThat(api.get(blobPath(MANAGEMENT, blob.digest())).statusCode()).isEqualTo(404);
            assertThat(api.head(blobPath(MANAGEMENT, blob.digest())).statusCode()).isEqualTo(404);
        }
        assertThat(api.get(blobPath(PULL, CONFIG.digest())).statusCode()).as("other repositories keep theirs").isEqualTo(200);
    }
}
