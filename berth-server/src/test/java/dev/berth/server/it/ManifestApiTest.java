package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.header;
import static dev.berth.server.it.Images.bytes;
import static dev.berth.server.it.Images.oddly;
import static dev.berth.server.it.Images.putManifest;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.server.it.Images.Blob;
import dev.berth.server.it.Images.Image;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.manifest.Manifests;
import dev.berth.spec.manifest.Schema1Manifest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /v2/<name>/manifests/<reference>}: every manifest type, validation, negotiation, deletes. */
class ManifestApiTest extends SharedRegistryTest {
    private static KeyPair signingKey;

    @BeforeAll
    static void start() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        signingKey = generator.generateKeyPair();
    }

    private static String manifestPath(String repo, Object reference) {
        return "/v2/" + repo + "/manifests/" + reference;
    }

    /** GET by {@code reference}: 200 with exactly {@code content}, its type, digest and ETag. */
    private static void assertServed(String repo, Object reference, String mediaType, byte[] content, Digest digest) {
        HttpResponse<byte[]> get = api.get(manifestPath(repo, reference));
        assertThat(get.statusCode()).as("GET %s:%s", repo, reference).isEqualTo(200);
        assertThat(get.body()).as("bytes of %s:%s", repo, reference).isEqualTo(content);
        assertThat(header(get, "Content-Type")).isEqualTo(mediaType);
        assertThat(header(get, "Docker-Content-Digest")).isEqualTo(digest.toString());
        assertThat(header(get, "Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(header(get, "ETag")).isEqualTo("\"" + digest + "\"");

        HttpResponse<byte[]> head = api.head(manifestPath(repo, reference));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Type")).isEqualTo(mediaType);
        assertThat(header(head, "Docker-Content-Digest")).isEqualTo(digest.toString());
        assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(content.length));
    }

    private static void assertServedByTagAndDigest(String repo, String tag, String mediaType, byte[] content) {
        Digest digest = Digest.sha256(content);
        assertServed(repo, tag, mediaType, content, digest);
        assertServed(repo, digest, mediaType, content, digest);
    }

    private static Blob[] pushConfigAndLayer(String repo, long seed) {
        return new Blob[] {
            Images.pushBlob(api, repo, Images.blob("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + seed + "}")),
            Images.pushBlob(api, repo, Images.randomBlob(seed, 512)),
        };
    }

    @Test
    void ociManifestIsStoredAndServedByteForByte() {
        String repo = Api.uniqueRepository("oci");
        Blob[] blobs = pushConfigAndLayer(repo, 1);
        byte[] manifest = oddly(Images.ociManifest(blobs[0], blobs[1]));

        Images.pushManifest(api, repo, "v1", MediaTypes.OCI_MANIFEST, manifest);

        assertServedByTagAndDigest(repo, "v1", MediaTypes.OCI_MANIFEST, manifest);
    }

    @Test
    void ociManifestWithoutLayersOrMediaTypeIsAccepted() {
        String repo = Api.uniqueRepository("oci");
        Blob config = pushConfigAndLayer(repo, 2)[0];
        ObjectNode node = Images.ociManifest(config);
        node.remove("mediaType");
        byte[] manifest = oddly(node);

        Images.pushManifest(api, repo, "nolayers", MediaTypes.OCI_MANIFEST, manifest);

        assertServedByTagAndDigest(repo, "nolayers", MediaTypes.OCI_MANIFEST, manifest);
    }

    @Test
    void contentTypeParametersAndAMissingContentTypeAreFine() {
        String repo = Api.uniqueRepository("oci");
        Blob[] blobs = pushConfigAndLayer(repo, 3);
        byte[] withParameters = oddly(Images.ociManifest(blobs[0], blobs[1]));
        byte[] withoutType = bytes(Images.ociManifest(blobs[0]));

        Images.pushManifest(api, repo, "params", MediaTypes.OCI_MANIFEST + "; charset=utf-8", withParameters);
        HttpResponse<byte[]> untyped = api.put(manifestPath(repo, "untyped"), withoutType);
        assertThat(untyped.statusCode()).isEqualTo(201);

        assertServedByTagAndDigest(repo, "params", MediaTypes.OCI_MANIFEST, withParameters);
        assertServedByTagAndDigest(repo, "untyped", MediaTypes.OCI_MANIFEST, withoutType);
    }

    @Test
    void ociIndexIsStoredAndServedByteForByte() {
        String repo = Api.uniqueRepository("index");
        Image amd64 = Images.pushImage(api, repo, null, 4);
        Image arm64 = Images.pushImage(api, repo, null, 5);
        ObjectNode index = Images.ociIndex(
                Images.platform(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, amd64.manifest()), "linux", "amd64"),
                Images.platform(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, arm64.manifest()), "linux", "arm64"));
        index.putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
        byte[] manifest = oddly(index);

        Images.pushManifest(api, repo, "multi", MediaTypes.OCI_INDEX, manifest);

        assertServedByTagAndDigest(repo, "multi", MediaTypes.OCI_INDEX, manifest);
    }

    @Test
    void ociArtifactWithTheEmptyConfigIsStoredAndServed() {
        String repo = Api.uniqueRepository("artifact");
        Images.pushBlob(api, repo, Images.EMPTY_CONFIG);
        assertThat(Images.EMPTY_CONFIG.digest().toString()).isEqualTo(Images.EMPTY_CONFIG_DIGEST);
        Blob payload = Images.pushBlob(api, repo, Images.blob("an SBOM, say"));
        byte[] manifest = oddly(Images.artifact("application/vnd.example.sbom.v1+json", Map.of("org.example.kind", "sbom"), payload));

        Images.pushManifest(api, repo, "sbom", MediaTypes.OCI_MANIFEST, manifest);

        assertServedByTagAndDigest(repo, "sbom", MediaTypes.OCI_MANIFEST, manifest);
        HttpResponse<byte[]> emptyConfig = api.get("/v2/" + repo + "/blobs/" + Images.EMPTY_CONFIG_DIGEST);
        assertThat(new String(emptyConfig.body(), UTF_8)).isEqualTo("{}");
    }

    @Test
    void dockerManifestIsStoredAndServedByteForByte() {
        String repo = Api.uniqueRepository("docker");
        Blob[] blobs = pushConfigAndLayer(repo, 6);
        byte[] manifest = oddly(Images.dockerManifest(blobs[0], blobs[1]));

        Images.pushManifest(api, repo, "v2", MediaTypes.DOCKER_MANIFEST, manifest);

        assertServedByTagAndDigest(repo, "v2", MediaTypes.DOCKER_MANIFEST, manifest);
    }

    @Test
    void dockerManifestListIsStoredAndServedByteForByte() {
        String repo = Api.uniqueRepository("docker");
        Blob[] blobs = pushConfigAndLayer(repo, 7);
        byte[] child = oddly(Images.dockerManifest(blobs[0], blobs[1]));
        Digest childDigest = Images.pushManifest(api, repo, Digest.sha256(child).toString(), MediaTypes.DOCKER_MANIFEST, child);
        assertThat(childDigest).isEqualTo(Digest.sha256(child));
        byte[] list = oddly(Images.dockerManifestList(
                Images.platform(Images.manifestDescriptor(MediaTypes.DOCKER_MANIFEST, child), "linux", "amd64")));

        Images.pushManifest(api, repo, "list", MediaTypes.DOCKER_MANIFEST_LIST, list);

        assertServedByTagAndDigest(repo, "list", MediaTypes.DOCKER_MANIFEST_LIST, list);
    }

    private static byte[] unsignedSchema1(String name, String tag, Digest layer) {
        return ("""
                {
                   "schemaVersion": 1,
                   "name": "%s",
                   "tag": "%s",
                   "architecture": "amd64",
                   "fsLayers": [
                      {
                         "blobSum": "%s"
                      }
                   ],
                   "history": [
                      {
                         "v1Compatibility": "{\\"id\\":\\"e45a5af57b00862e5ef5782a9925979a02ba2b12dff832fd0991335f4a11e5c5\\"}"
                      }
                   ]
                }""").formatted(name, tag, layer).getBytes(UTF_8);
    }

    @Test
    void signedSchema1IsVerifiedStoredAndServedAsSigned() {
        String repo = Api.uniqueRepository("schema1");
        Blob layer = Images.pushBlob(api, repo, Images.randomBlob(8, 300));
        byte[] signed = Schema1Manifest.sign(unsignedSchema1(repo, "old", layer.digest()), signingKey);
        Digest payloadDigest = Manifests.parse(signed, MediaTypes.DOCKER_SCHEMA1_SIGNED).digest();
        assertThat(payloadDigest).isNotEqualTo(Digest.sha256(signed));

        HttpResponse<byte[]> put = putManifest(api, repo, "old", MediaTypes.DOCKER_SCHEMA1_SIGNED, signed);

        assertThat(put.statusCode()).as(new String(put.body(), UTF_8)).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(payloadDigest.toString());
        assertThat(header(put, "Location")).endsWith(manifestPath(repo, payloadDigest));
        assertServed(repo, "old", MediaTypes.DOCKER_SCHEMA1_SIGNED, signed, payloadDigest);
        assertServed(repo, payloadDigest, MediaTypes.DOCKER_SCHEMA1_SIGNED, signed, payloadDigest);

        HttpResponse<byte[]> byDigest = putManifest(api, repo, payloadDigest.toString(), MediaTypes.DOCKER_SCHEMA1, signed);
        assertThat(byDigest.statusCode()).isEqualTo(201);
        assertThat(header(byDigest, "Docker-Content-Digest")).isEqualTo(payloadDigest.toString());
    }

    @Test
    void schema1SignedWithP384OrRsaIsAccepted() throws GeneralSecurityException {
        String repo = Api.uniqueRepository("schema1");
        Blob layer = Images.pushBlob(api, repo, Images.randomBlob(35, 300));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);

        for (KeyPair key : new KeyPair[] {ec.generateKeyPair(), rsa.generateKeyPair()}) {
            String tag = key.getPublic().getAlgorithm().toLowerCase(java.util.Locale.ROOT);
            byte[] signed = Schema1Manifest.sign(unsignedSchema1(repo, tag, layer.digest()), key);
            HttpResponse<byte[]> put = putManifest(api, repo, tag, MediaTypes.DOCKER_SCHEMA1_SIGNED, signed);
            assertThat(put.statusCode()).as("%s: %s", tag, new String(put.body(), UTF_8)).isEqualTo(201);
            assertThat(api.get(manifestPath(repo, tag)).body()).isEqualTo(signed);
        }
    }

    /**
     * A digest names content: whatever the registry serves under it hashes to it. A schema1 manifest's
     * digest is its payload's, so what the blob endpoint serves under it must be the payload, as
     * distribution stores it, not the signed document.
     */
    @Test
    void whatIsServedUnderASchema1DigestHashesToIt() {
        String repo = Api.uniqueRepository("schema1");
        Blob layer = Images.pushBlob(api, repo, Images.randomBlob(36, 300));
        byte[] unsigned = unsignedSchema1(repo, "v1", layer.digest());
        byte[] signed = Schema1Manifest.sign(unsigned, signingKey);
        Digest digest = Digest.sha256(unsigned);
        assertThat(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, signed).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> blob = api.get("/v2/" + repo + "/blobs/" + digest);
        if (blob.statusCode() == 200) {
            assertThat(Digest.sha256(blob.body())).as("content served as blob %s", digest).isEqualTo(digest);
        } else {
            assertError(blob, 404, "BLOB_UNKNOWN");
        }
        assertThat(api.get(manifestPath(repo, digest)).body()).isEqualTo(signed);
    }

    /** The same payload signed again (another key, another time) is the same manifest; GET serves the newest signature. */
    @Test
    void aReSignedSchema1ManifestServesItsNewSignature() throws Exception {
        String repo = Api.uniqueRepository("schema1");
        Blob layer = Images.pushBlob(api, repo, Images.randomBlob(37, 300));
        byte[] unsigned = unsignedSchema1(repo, "v1", layer.digest());
        Images.pushBlob(api, repo, Images.blob(unsigned)); // the payload as a blob first: it must not stand in for the manifest
        byte[] first = Schema1Manifest.sign(unsigned, signingKey);
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        byte[] second = Schema1Manifest.sign(unsigned, generator.generateKeyPair());
        assertThat(second).isNotEqualTo(first);

        assertThat(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, first).statusCode()).isEqualTo(201);
        assertThat(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, second).statusCode()).isEqualTo(201);

        assertThat(api.get(manifestPath(repo, Digest.sha256(unsigned))).body()).isEqualTo(second);
        assertThat(api.get("/v2/" + repo + "/manifests/v1").body()).isEqualTo(second);
    }

    @Test
    void schema1WithAnotherRepositorysNameIs400NameInvalid() {
        String repo = Api.uniqueRepository("schema1");
        Blob layer = Images.pushBlob(api, repo, Images.randomBlob(9, 300));
        byte[] signed = Schema1Manifest.sign(unsignedSchema1("some/other-repo", "v1", layer.digest()), signingKey);

        assertError(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, signed), 400, "NAME_INVALID");
        assertError(api.get(manifestPath(repo, "v1")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void schema1WithABrokenSignatureIs400ManifestUnverified() {
        String repo = Api.uniqueRepository("schema1");
        Blob layer = Images.pushBlob(api, repo, Images.randomBlob(10, 300));
        String signed = new String(Schema1Manifest.sign(unsignedSchema1(repo, "v1", layer.digest()), signingKey), UTF_8);
        assertThat(signed).contains("\"architecture\": \"amd64\"");

        byte[] tamperedPayload = signed.replace("\"architecture\": \"amd64\"", "\"architecture\": \"arm64\"").getBytes(UTF_8);
        assertError(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, tamperedPayload), 400, "MANIFEST_UNVERIFIED");

        int at = signed.indexOf("\"signature\": \"") + "\"signature\": \"".length() + 5;
        char flipped = signed.charAt(at) == 'A' ? 'B' : 'A';
        byte[] tamperedSignature = (signed.substring(0, at) + flipped + signed.substring(at + 1)).getBytes(UTF_8);
        assertError(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, tamperedSignature), 400, "MANIFEST_UNVERIFIED");

        byte[] unsigned = unsignedSchema1(repo, "v1", layer.digest());
        assertError(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, unsigned), 400, "MANIFEST_UNVERIFIED");
        assertError(api.get(manifestPath(repo, "v1")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void schema1WithAnUnknownLayerIs400ManifestBlobUnknown() {
        String repo = Api.uniqueRepository("schema1");
        Images.pushBlob(api, repo, Images.blob("not the layer"));
        byte[] signed = Schema1Manifest.sign(unsignedSchema1(repo, "v1", Images.blob("never pushed").digest()), signingKey);

        assertError(putManifest(api, repo, "v1", MediaTypes.DOCKER_SCHEMA1_SIGNED, signed), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void ifNoneMatchWithTheEtagIs304() {
        String repo = Api.uniqueRepository("etag");
        Image image = Images.pushImage(api, repo, "v1", 11);
        String etag = header(api.head(manifestPath(repo, "v1")), "ETag");
        assertThat(etag).isEqualTo("\"" + image.digest() + "\"");

        for (String reference : new String[] {"v1", image.digest().toString()}) {
            HttpResponse<byte[]> get = api.get(manifestPath(repo, reference), "If-None-Match", etag);
            assertThat(get.statusCode()).isEqualTo(304);
            assertThat(get.body()).isEmpty();
            assertThat(header(get, "ETag")).isEqualTo(etag);
            assertThat(header(get, "Docker-Content-Digest")).isEqualTo(image.digest().toString());
            assertThat(api.head(manifestPath(repo, reference), "If-None-Match", etag).statusCode()).isEqualTo(304);
        }
        HttpResponse<byte[]> other = api.get(manifestPath(repo, "v1"), "If-None-Match", "\"sha256:" + "0".repeat(64) + "\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(image.manifest());
    }

    @Test
    void putByDigestChecksTheDigest() {
        String repo = Api.uniqueRepository("bydigest");
        Blob[] blobs = pushConfigAndLayer(repo, 12);
        byte[] manifest = oddly(Images.ociManifest(blobs[0], blobs[1]));
        Digest digest = Digest.sha256(manifest);
        Digest wrong = Digest.sha256(bytes(Images.ociManifest(blobs[0], blobs[1])));

        assertError(putManifest(api, repo, wrong.toString(), MediaTypes.OCI_MANIFEST, manifest), 400, "DIGEST_INVALID");
        assertError(api.get(manifestPath(repo, wrong)), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(repo, digest)), 404, "MANIFEST_UNKNOWN");

        Images.pushManifest(api, repo, digest.toString(), MediaTypes.OCI_MANIFEST, manifest);
        assertServed(repo, digest, MediaTypes.OCI_MANIFEST, manifest, digest);
        HttpResponse<byte[]> tags = api.get("/v2/" + repo + "/tags/list");
        assertThat(tags.statusCode()).isEqualTo(200);
        assertThat(Api.texts(Api.json(tags).get("tags"))).as("a push by digest tags nothing").isEmpty();
    }

    @Test
    void putBySha512DigestIsServedUnderIt() {
        String repo = Api.uniqueRepository("bydigest");
        Blob[] blobs = pushConfigAndLayer(repo, 13);
        byte[] manifest = oddly(Images.ociManifest(blobs[0], blobs[1]));
        Digest sha512 = Images.sha512(manifest);

        HttpResponse<byte[]> put = putManifest(api, repo, sha512.toString(), MediaTypes.OCI_MANIFEST, manifest);

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(sha512.toString());
        assertServed(repo, sha512, MediaTypes.OCI_MANIFEST, manifest, sha512);
    }

    @Test
    void aManifestNamingAnUnknownBlobIs400ManifestBlobUnknown() throws Exception {
        String repo = Api.uniqueRepository("missing");
        Blob config = Images.pushBlob(api, repo, Images.blob("{\"config\":true}"));
        Blob layer = Images.pushBlob(api, repo, Images.blob("a layer"));
        Blob absent = Images.blob("never pushed");
        Blob elsewhere = Images.pushBlob(api, Api.uniqueRepository("elsewhere"), Images.blob("pushed to another repository"));

        for (byte[] manifest : new byte[][] {
            bytes(Images.ociManifest(absent, layer)),
            bytes(Images.ociManifest(config, layer, absent)),
            bytes(Images.ociManifest(config, elsewhere)),
            bytes(Images.dockerManifest(config, absent)),
        }) {
            String type = Api.JSON.readTree(manifest).get("mediaType").asText();
            JsonNode error = assertError(putManifest(api, repo, "v1", type, manifest), 400, "MANIFEST_BLOB_UNKNOWN");
            assertThat(error.toString()).contains("sha256:");
        }
        assertError(api.get(manifestPath(repo, "v1")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void anIndexNamingAnUnknownManifestIs400ManifestBlobUnknown() {
        String repo = Api.uniqueRepository("missing");
        Image present = Images.pushImage(api, repo, "present", 14);
        Image elsewhere = Images.pushImage(api, Api.uniqueRepository("elsewhere"), "there", 15);
        byte[] absent = bytes(Images.ociManifest(Images.blob("{}"), Images.blob("x")));

        byte[] withAbsent = bytes(Images.ociIndex(
                Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, present.manifest()),
                Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, absent)));
        byte[] withForeign = bytes(Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, elsewhere.manifest())));
        byte[] dockerList = bytes(Images.dockerManifestList(
                Images.platform(Images.manifestDescriptor(MediaTypes.DOCKER_MANIFEST, absent), "linux", "amd64")));
        byte[] blobAsChild = bytes(Images.ociIndex(Images.descriptor(MediaTypes.OCI_MANIFEST, present.layer())));

        assertError(putManifest(api, repo, "idx", MediaTypes.OCI_INDEX, withAbsent), 400, "MANIFEST_BLOB_UNKNOWN");
        assertError(putManifest(api, repo, "idx", MediaTypes.OCI_INDEX, withForeign), 400, "MANIFEST_BLOB_UNKNOWN");
        assertError(putManifest(api, repo, "idx", MediaTypes.DOCKER_MANIFEST_LIST, dockerList), 400, "MANIFEST_BLOB_UNKNOWN");
        assertError(putManifest(api, repo, "idx", MediaTypes.OCI_INDEX, blobAsChild), 400, "MANIFEST_BLOB_UNKNOWN");
        assertError(api.get(manifestPath(repo, "idx")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void anUnknownSubjectIsAllowedAndAnsweredWithOciSubject() {
        String repo = Api.uniqueRepository("subject");
        Images.pushBlob(api, repo, Images.EMPTY_CONFIG);
        byte[] subjectManifest = bytes(Images.ociManifest(Images.blob("{\"never\":\"pushed\"}")));
        ObjectNode artifact = Images.artifact("application/vnd.example.signature", Map.of());
        artifact.set("subject", Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, subjectManifest));
        byte[] manifest = oddly(artifact);

        HttpResponse<byte[]> put = putManifest(api, repo, Digest.sha256(manifest).toString(), MediaTypes.OCI_MANIFEST, manifest);

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "OCI-Subject")).isEqualTo(Digest.sha256(subjectManifest).toString());
        assertServed(repo, Digest.sha256(manifest), MediaTypes.OCI_MANIFEST, manifest, Digest.sha256(manifest));
    }

    @Test
    void aManifestLyingAboutItsMediaTypeIs400ManifestInvalid() {
        String repo = Api.uniqueRepository("liar");
        Blob[] blobs = pushConfigAndLayer(repo, 16);
        byte[] oci = bytes(Images.ociManifest(blobs[0], blobs[1]));
        byte[] docker = bytes(Images.dockerManifest(blobs[0], blobs[1]));
        Image child = Images.pushImage(api, repo, null, 17);
        byte[] index = bytes(Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, child.manifest())));
        ObjectNode unknownType = Images.ociManifest(blobs[0], blobs[1]);
        unknownType.put("mediaType", "application/vnd.example.not-a-manifest+json");
        ObjectNode dockerWithoutType = Images.dockerManifest(blobs[0], blobs[1]);
        dockerWithoutType.remove("mediaType");

        assertError(putManifest(api, repo, "t", MediaTypes.DOCKER_MANIFEST, oci), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.OCI_INDEX, oci), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.OCI_MANIFEST, docker), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.OCI_MANIFEST, index), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.DOCKER_MANIFEST_LIST, index), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.DOCKER_SCHEMA1_SIGNED, oci), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", "application/json", bytes(unknownType)), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.OCI_MANIFEST, bytes(unknownType)), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.DOCKER_MANIFEST, bytes(dockerWithoutType)), 400, "MANIFEST_INVALID");
        assertError(api.get(manifestPath(repo, "t")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aDocumentWithBothManifestsAndLayersIs400ManifestInvalid() {
        String repo = Api.uniqueRepository("mixed");
        Blob[] blobs = pushConfigAndLayer(repo, 18);
        Image child = Images.pushImage(api, repo, null, 19);
        ObjectNode indexWithLayers = Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, child.manifest()));
        indexWithLayers.putArray("layers").add(Images.descriptor(Images.LAYER, blobs[1]));
        ObjectNode indexWithConfig = Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, child.manifest()));
        indexWithConfig.set("config", Images.descriptor(MediaTypes.OCI_CONFIG, blobs[0]));
        ObjectNode manifestWithManifests = Images.ociManifest(blobs[0], blobs[1]);
        manifestWithManifests.putArray("manifests").add(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, child.manifest()));

        assertError(putManifest(api, repo, "t", MediaTypes.OCI_INDEX, bytes(indexWithLayers)), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.OCI_INDEX, bytes(indexWithConfig)), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", MediaTypes.OCI_MANIFEST, bytes(manifestWithManifests)), 400, "MANIFEST_INVALID");
        assertError(putManifest(api, repo, "t", "application/json", bytes(manifestWithManifests)), 400, "MANIFEST_INVALID");
    }

    @Test
    void aManifestOfExactlyTheLimitIsAcceptedAndOneByteMoreIs413() {
        String repo = Api.uniqueRepository("big");
        Blob config = pushConfigAndLayer(repo, 20)[0];
        byte[] compact = bytes(Images.ociManifest(config));
        byte[] atLimit = Arrays.copyOf(compact, Manifests.MAX_BYTES);
        Arrays.fill(atLimit, compact.length, atLimit.length, (byte) ' ');
        byte[] overLimit = Arrays.copyOf(compact, Manifests.MAX_BYTES + 1);
        Arrays.fill(overLimit, compact.length, overLimit.length, (byte) ' ');

        assertError(putManifest(api, repo, "big", MediaTypes.OCI_MANIFEST, overLimit), 413, "MANIFEST_TOO_BIG");
        HttpResponse<byte[]> chunked = api.send(api.request(manifestPath(repo, "big"))
                .header("Content-Type", MediaTypes.OCI_MANIFEST)
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(overLimit))));
        assertError(chunked, 413, "MANIFEST_TOO_BIG");
        assertError(api.get(manifestPath(repo, "big")), 404, "MANIFEST_UNKNOWN");

        Images.pushManifest(api, repo, "big", MediaTypes.OCI_MANIFEST, atLimit);
        assertServedByTagAndDigest(repo, "big", MediaTypes.OCI_MANIFEST, atLimit);
    }

    @Test
    void anUnknownTagOrDigestIs404ManifestUnknown() {
        String repo = Api.uniqueRepository("unknown");
        Images.pushImage(api, repo, "known", 21);

        JsonNode error = assertError(api.get(manifestPath(repo, "nope")), 404, "MANIFEST_UNKNOWN");
        assertThat(error.get("detail").asText()).isEqualTo("unknown tag=nope");
        assertError(api.head(manifestPath(repo, "nope")), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(repo, "sha256:" + "a".repeat(64))), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(Api.uniqueRepository("never"), "latest")), 404, "MANIFEST_UNKNOWN");
        Blob blob = Images.pushBlob(api, repo, Images.blob("a blob, not a manifest"));
        assertError(api.get(manifestPath(repo, blob.digest())), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aManifestIsOnlyVisibleThroughItsRepository() {
        String a = Api.uniqueRepository("owner");
        String b = Api.uniqueRepository("other");
        Image image = Images.pushImage(api, a, "v1", 22);
        Images.pushImage(api, b, "v2", 23);

        assertError(api.get(manifestPath(b, image.digest())), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(b, "v1")), 404, "MANIFEST_UNKNOWN");
        assertError(api.delete(manifestPath(b, image.digest())), 404, "MANIFEST_UNKNOWN");
        assertThat(api.get(manifestPath(a, image.digest())).statusCode()).isEqualTo(200);
    }

    @Test
    void acceptNegotiation() {
        String repo = Api.uniqueRepository("accept");
        Image image = Images.pushImage(api, repo, "oci", 24);
        String oci = manifestPath(repo, "oci");

        assertThat(api.get(oci).statusCode()).as("no Accept").isEqualTo(200);
        assertThat(api.get(oci, "Accept", "*/*").statusCode()).isEqualTo(200);
        assertThat(api.get(oci, "Accept", "application/*").statusCode()).isEqualTo(200);
        assertThat(api.get(oci, "Accept", MediaTypes.OCI_MANIFEST).body()).isEqualTo(image.manifest());
        assertThat(api.get(oci, "Accept", "Application/VND.OCI.Image.Manifest.v1+JSON; q=0.5").statusCode()).isEqualTo(200);
        assertThat(api.get(oci, "Accept", MediaTypes.DOCKER_MANIFEST + ", " + MediaTypes.OCI_MANIFEST + ";q=0.9").statusCode())
                .as("comma list").isEqualTo(200);
        assertThat(api.get(oci, "Accept", MediaTypes.DOCKER_MANIFEST, "Accept", MediaTypes.DOCKER_MANIFEST_LIST,
                "Accept", MediaTypes.OCI_MANIFEST).statusCode()).as("several Accept headers").isEqualTo(200);
        assertThat(api.get(oci, "Accept", MediaTypes.DOCKER_MANIFEST + "," + MediaTypes.DOCKER_MANIFEST_LIST,
                "Accept", "*/*").statusCode()).isEqualTo(200);

        JsonNode refused = assertError(api.get(oci, "Accept", MediaTypes.DOCKER_MANIFEST), 404, "MANIFEST_UNKNOWN");
        assertThat(refused.get("message").asText()).contains("OCI manifest found, but accept header does not support OCI manifests");
        assertError(api.get(oci, "Accept", MediaTypes.DOCKER_MANIFEST, "Accept", MediaTypes.DOCKER_MANIFEST_LIST), 404,
                "MANIFEST_UNKNOWN");
        assertError(api.get(oci, "Accept", MediaTypes.DOCKER_MANIFEST + ", " + MediaTypes.DOCKER_SCHEMA1_SIGNED), 404,
                "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(repo, image.digest()), "Accept", MediaTypes.OCI_INDEX), 404, "MANIFEST_UNKNOWN");
        assertError(api.head(oci, "Accept", MediaTypes.DOCKER_MANIFEST), 404, "MANIFEST_UNKNOWN");

        byte[] index = bytes(Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, image.manifest())));
        Images.pushManifest(api, repo, "index", MediaTypes.OCI_INDEX, index);
        assertThat(api.get(manifestPath(repo, "index"), "Accept", MediaTypes.OCI_INDEX).body()).isEqualTo(index);
        assertThat(api.get(manifestPath(repo, "index")).body()).isEqualTo(index);
        assertError(api.get(manifestPath(repo, "index"), "Accept", MediaTypes.OCI_MANIFEST), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(repo, "index"), "Accept", MediaTypes.DOCKER_MANIFEST_LIST), 404, "MANIFEST_UNKNOWN");

        byte[] docker = bytes(Images.dockerManifest(image.config(), image.layer()));
        Images.pushManifest(api, repo, "docker", MediaTypes.DOCKER_MANIFEST, docker);
        HttpResponse<byte[]> dockerForOciClient = api.get(manifestPath(repo, "docker"), "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(dockerForOciClient.statusCode()).as("Docker types are always served").isEqualTo(200);
        assertThat(header(dockerForOciClient, "Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void pushingATagAgainMovesIt() {
        String repo = Api.uniqueRepository("retag");
        Image first = Images.pushImage(api, repo, "latest", 25);
        Image second = Images.pushImage(api, repo, "latest", 26);

        HttpResponse<byte[]> latest = api.get(manifestPath(repo, "latest"));
        assertThat(latest.body()).isEqualTo(second.manifest());
        assertThat(header(latest, "Docker-Content-Digest")).isEqualTo(second.digest().toString());
        assertThat(api.get(manifestPath(repo, first.digest())).body()).as("the old manifest stays by digest")
                .isEqualTo(first.manifest());
        assertThat(Api.texts(Api.json(api.get("/v2/" + repo + "/tags/list")).get("tags"))).containsExactly("latest");
    }

    @Test
    void deleteByDigestRemovesTheManifestAndItsTags() {
        String repo = Api.uniqueRepository("delete");
        Image image = Images.pushImage(api, repo, "one", 27);
        Images.pushManifest(api, repo, "two", MediaTypes.OCI_MANIFEST, image.manifest());
        Image kept = Images.pushImage(api, repo, "kept", 28);

        HttpResponse<byte[]> deleted = api.delete(manifestPath(repo, image.digest()));

        assertThat(deleted.statusCode()).isEqualTo(202);
        assertError(api.get(manifestPath(repo, image.digest())), 404, "MANIFEST_UNKNOWN");
        assertError(api.head(manifestPath(repo, image.digest())), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(repo, "one")), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(repo, "two")), 404, "MANIFEST_UNKNOWN");
        assertThat(Api.texts(Api.json(api.get("/v2/" + repo + "/tags/list")).get("tags"))).containsExactly("kept");
        assertThat(api.get(manifestPath(repo, kept.digest())).statusCode()).isEqualTo(200);
        assertError(api.delete(manifestPath(repo, image.digest())), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteByTagRemovesOnlyTheTag() {
        String repo = Api.uniqueRepository("untag");
        Image image = Images.pushImage(api, repo, "one", 29);
        Images.pushManifest(api, repo, "two", MediaTypes.OCI_MANIFEST, image.manifest());

        HttpResponse<byte[]> deleted = api.delete(manifestPath(repo, "one"));

        assertThat(deleted.statusCode()).isEqualTo(202);
        assertError(api.get(manifestPath(repo, "one")), 404, "MANIFEST_UNKNOWN");
        assertThat(api.get(manifestPath(repo, "two")).body()).isEqualTo(image.manifest());
        assertThat(api.get(manifestPath(repo, image.digest())).body()).isEqualTo(image.manifest());
        assertThat(Api.texts(Api.json(api.get("/v2/" + repo + "/tags/list")).get("tags"))).containsExactly("two");
        assertError(api.delete(manifestPath(repo, "one")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void theSameManifestInTwoRepositoriesIsDeletedIndependently() {
        String a = Api.uniqueRepository("twin");
        String b = Api.uniqueRepository("twin");
        Image image = Images.pushImage(api, a, "v1", 30);
        Images.pushBlob(api, b, image.config());
        Images.pushBlob(api, b, image.layer());
        Images.pushManifest(api, b, "v1", MediaTypes.OCI_MANIFEST, image.manifest());

        assertThat(api.delete(manifestPath(a, image.digest())).statusCode()).isEqualTo(202);

        assertError(api.get(manifestPath(a, "v1")), 404, "MANIFEST_UNKNOWN");
        assertThat(api.get(manifestPath(b, "v1")).body()).isEqualTo(image.manifest());
    }

    @Test
    void aChildOfAnIndexCanBeDeletedAndTheIndexStays() {
        String repo = Api.uniqueRepository("child");
        Image child = Images.pushImage(api, repo, "child", 32);
        byte[] index = oddly(Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, child.manifest())));
        Images.pushManifest(api, repo, "idx", MediaTypes.OCI_INDEX, index);

        HttpResponse<byte[]> deleted = api.delete(manifestPath(repo, child.digest()));

        assertThat(deleted.statusCode()).as(new String(deleted.body(), UTF_8)).isEqualTo(202);
        assertError(api.get(manifestPath(repo, child.digest())), 404, "MANIFEST_UNKNOWN");
        assertError(api.get(manifestPath(repo, "child")), 404, "MANIFEST_UNKNOWN");
        assertThat(api.get(manifestPath(repo, "idx")).body()).isEqualTo(index);
    }

    @Test
    void aManifestNamingADeletedBlobIs400ManifestBlobUnknown() {
        String repo = Api.uniqueRepository("deletedblob");
        Blob[] blobs = pushConfigAndLayer(repo, 33);
        assertThat(api.delete("/v2/" + repo + "/blobs/" + blobs[1].digest()).statusCode()).isEqualTo(202);

        assertError(putManifest(api, repo, "v1", MediaTypes.OCI_MANIFEST, bytes(Images.ociManifest(blobs[0], blobs[1]))), 400,
                "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void deletingABlobLeavesTheManifestsThatNameIt() {
        String repo = Api.uniqueRepository("deletedblob");
        Image image = Images.pushImage(api, repo, "v1", 34);

        assertThat(api.delete("/v2/" + repo + "/blobs/" + image.layer().digest()).statusCode()).isEqualTo(202);

        assertThat(api.get(manifestPath(repo, "v1")).body()).isEqualTo(image.manifest());
        assertError(api.get("/v2/" + repo + "/blobs/" + image.layer().digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void anIndexAndItsChildrenCanBePushedAgainAfterADelete() {
        String repo = Api.uniqueRepository("repush");
        Image child = Images.pushImage(api, repo, null, 31);
        byte[] index = oddly(Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, child.manifest())));
        Images.pushManifest(api, repo, "idx", MediaTypes.OCI_INDEX, index);

        assertThat(api.delete(manifestPath(repo, Digest.sha256(index))).statusCode()).isEqualTo(202);
        assertError(api.get(manifestPath(repo, "idx")), 404, "MANIFEST_UNKNOWN");

        Images.pushManifest(api, repo, "idx", MediaTypes.OCI_INDEX, index);
        assertServedByTagAndDigest(repo, "idx", MediaTypes.OCI_INDEX, index);
    }
}
