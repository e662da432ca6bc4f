package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.header;
import static dev.berth.server.it.Api.json;
import static dev.berth.server.it.Images.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.server.it.Images.Image;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/<name>/referrers/<digest>}: the OCI 1.1 referrers API. */
class ReferrersApiTest extends SharedRegistryTest {
    private static final String SBOM = "application/vnd.example.sbom.v1+json";
    private static final String SIGNATURE = "application/vnd.example.signature.v1";

    private static String referrersPath(String repo, Object digest) {
        return "/v2/" + repo + "/referrers/" + digest;
    }

    /** Pushes an artifact of {@code artifactType} whose subject is {@code subject}, by digest; returns its bytes. */
    private static byte[] pushReferrer(String repo, Image subject, String artifactType, Map<String, String> annotations) {
        Images.pushBlob(api, repo, Images.EMPTY_CONFIG);
        ObjectNode artifact = Images.artifact(artifactType, annotations,
                Images.pushBlob(api, repo, Images.blob(artifactType + annotations)));
        artifact.set("subject", Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, subject.manifest()));
        byte[] manifest = bytes(artifact);
        HttpResponse<byte[]> put = Images.putManifest(api, repo, Digest.sha256(manifest).toString(), MediaTypes.OCI_MANIFEST, manifest);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "OCI-Subject")).isEqualTo(subject.digest().toString());
        return manifest;
    }

    /** Asserts a referrers answer and returns its {@code manifests}. */
    private static JsonNode assertIndex(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo(MediaTypes.OCI_INDEX);
        JsonNode index = json(response);
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.get("manifests").isArray()).isTrue();
        return index.get("manifests");
    }

    private static JsonNode entryFor(JsonNode manifests, byte[] manifest) {
        for (JsonNode entry : manifests) {
            if (entry.get("digest").asText().equals(Digest.sha256(manifest).toString())) {
                return entry;
            }
        }
        throw new AssertionError(Digest.sha256(manifest) + " not in " + manifests);
    }

    @Test
    void withoutReferrersTheAnswerIsAnEmptyIndex() {
        String repo = Api.uniqueRepository("referrers");
        Image image = Images.pushImage(api, repo, "v1", 1);

        assertThat(assertIndex(api.get(referrersPath(repo, image.digest())))).isEmpty();
        assertThat(assertIndex(api.get(referrersPath(repo, "sha256:" + "e".repeat(64))))).as("unknown subject").isEmpty();
        assertThat(assertIndex(api.get(referrersPath(Api.uniqueRepository("never"), image.digest())))).as("unknown repo").isEmpty();
    }

    @Test
    void referrersAreListedWithArtifactTypeAndAnnotations() {
        String repo = Api.uniqueRepository("referrers");
        Image image = Images.pushImage(api, repo, "v1", 2);
        byte[] sbom = pushReferrer(repo, image, SBOM, Map.of("org.example.kind", "sbom", "org.opencontainers.image.created", "2024-01-01T00:00:00Z"));
        byte[] signature = pushReferrer(repo, image, SIGNATURE, Map.of("org.example.kind", "signature"));

        JsonNode manifests = assertIndex(api.get(referrersPath(repo, image.digest())));

        assertThat(manifests).hasSize(2);
        JsonNode sbomEntry = entryFor(manifests, sbom);
        assertThat(sbomEntry.get("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(sbomEntry.get("size").asLong()).isEqualTo(sbom.length);
        assertThat(sbomEntry.get("artifactType").asText()).isEqualTo(SBOM);
        assertThat(sbomEntry.get("annotations").get("org.example.kind").asText()).isEqualTo("sbom");
        assertThat(sbomEntry.get("annotations").get("org.opencontainers.image.created").asText()).isEqualTo("2024-01-01T00:00:00Z");
        JsonNode signatureEntry = entryFor(manifests, signature);
        assertThat(signatureEntry.get("artifactType").asText()).isEqualTo(SIGNATURE);
        assertThat(signatureEntry.get("annotations").get("org.example.kind").asText()).isEqualTo("signature");
        assertThat(signatureEntry.get("size").asLong()).isEqualTo(signature.length);
    }

    @Test
    void theArtifactTypeFilterIsAppliedAndSaidSo() {
        String repo = Api.uniqueRepository("referrers");
        Image image = Images.pushImage(api, repo, "v1", 3);
        byte[] sbom = pushReferrer(repo, image, SBOM, Map.of());
        pushReferrer(repo, image, SIGNATURE, Map.of());

        HttpResponse<byte[]> filtered = api.get(referrersPath(repo, image.digest()) + "?artifactType=" + SBOM.replace("+", "%2B"));

        JsonNode manifests = assertIndex(filtered);
        assertThat(header(filtered, "OCI-Filters-Applied")).isEqualTo("artifactType");
        assertThat(manifests).hasSize(1);
        assertThat(manifests.get(0).get("digest").asText()).isEqualTo(Digest.sha256(sbom).toString());
        assertThat(manifests.get(0).get("artifactType").asText()).isEqualTo(SBOM);

        HttpResponse<byte[]> none = api.get(referrersPath(repo, image.digest()) + "?artifactType=application/vnd.example.none");
        assertThat(assertIndex(none)).isEmpty();
        assertThat(header(none, "OCI-Filters-Applied")).isEqualTo("artifactType");
        assertThat(header(api.get(referrersPath(repo, image.digest())), "OCI-Filters-Applied")).isNull();
    }

    @Test
    void referrersArePaginatedWithLink() {
        String repo = Api.uniqueRepository("referrers");
        Image image = Images.pushImage(api, repo, "v1", 4);
        List<String> pushed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pushed.add(Digest.sha256(pushReferrer(repo, image, SBOM, Map.of("n", Integer.toString(i)))).toString());
        }

        HttpResponse<byte[]> first = api.get(referrersPath(repo, image.digest()) + "?n=1");
        assertThat(assertIndex(first)).hasSize(1);
        assertThat(Api.nextLink(first)).isPresent();
        assertThat(Api.nextLink(first).get()).contains("/v2/" + repo + "/referrers/" + image.digest());

        List<String> listed = new ArrayList<>();
        String next = referrersPath(repo, image.digest()) + "?n=1";
        while (next != null) {
            HttpResponse<byte[]> page = api.get(next);
            assertIndex(page).forEach(entry -> listed.add(entry.get("digest").asText()));
            next = Api.nextLink(page).orElse(null);
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(pushed).doesNotHaveDuplicates();

        List<String> filtered = new ArrayList<>();
        next = referrersPath(repo, image.digest()) + "?n=2&artifactType=" + SBOM.replace("+", "%2B");
        while (next != null) {
            HttpResponse<byte[]> page = api.get(next);
            assertThat(header(page, "OCI-Filters-Applied")).isEqualTo("artifactType");
            assertIndex(page).forEach(entry -> filtered.add(entry.get("digest").asText()));
            next = Api.nextLink(page).orElse(null);
        }
        assertThat(filtered).containsExactlyInAnyOrderElementsOf(pushed);
        assertError(api.get(referrersPath(repo, image.digest()) + "?n=1001"), 400, "PAGINATION_NUMBER_INVALID");
        assertError(api.get(referrersPath(repo, image.digest()) + "?n=-1"), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void anImageManifestWithoutArtifactTypeIsListedUnderItsConfigMediaType() {
        String repo = Api.uniqueRepository("referrers");
        Image subject = Images.pushImage(api, repo, "v1", 5);
        Image referrerBase = Images.pushImage(api, repo, null, 6);
        ObjectNode referrer = Images.ociManifest(referrerBase.config(), referrerBase.layer());
        referrer.set("subject", Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, subject.manifest()));
        byte[] manifest = bytes(referrer);
        Images.pushManifest(api, repo, Digest.sha256(manifest).toString(), MediaTypes.OCI_MANIFEST, manifest);

        JsonNode manifests = assertIndex(api.get(referrersPath(repo, subject.digest())));

        assertThat(manifests).hasSize(1);
        assertThat(manifests.get(0).get("artifactType").asText()).isEqualTo(MediaTypes.OCI_CONFIG);
    }

    @Test
    void anIndexCanBeAReferrer() {
        String repo = Api.uniqueRepository("referrers");
        Image subject = Images.pushImage(api, repo, "v1", 7);
        Image child = Images.pushImage(api, repo, null, 8);
        ObjectNode index = Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, child.manifest()));
        index.put("artifactType", "application/vnd.example.bundle");
        index.set("subject", Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, subject.manifest()));
        byte[] bytes = bytes(index);
        HttpResponse<byte[]> put = Images.putManifest(api, repo, "bundle", MediaTypes.OCI_INDEX, bytes);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "OCI-Subject")).isEqualTo(subject.digest().toString());

        JsonNode manifests = assertIndex(api.get(referrersPath(repo, subject.digest())));

        assertThat(manifests).hasSize(1);
        assertThat(manifests.get(0).get("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(manifests.get(0).get("artifactType").asText()).isEqualTo("application/vnd.example.bundle");
    }

    @Test
    void referrersPushedBeforeTheirSubjectAreListed() {
        String repo = Api.uniqueRepository("referrers");
        byte[] subject = bytes(Images.ociManifest(Images.blob("{\"late\":1}")));
        Image notYetPushed = new Image(repo, null, null, subject, Digest.sha256(subject));
        byte[] sbom = pushReferrer(repo, notYetPushed, SBOM, Map.of());

        JsonNode manifests = assertIndex(api.get(referrersPath(repo, notYetPushed.digest())));

        assertThat(manifests).hasSize(1);
        assertThat(manifests.get(0).get("digest").asText()).isEqualTo(Digest.sha256(sbom).toString());
    }

    @Test
    void referrersAreScopedToTheRepositoryAndGoWithTheirManifest() {
        String repo = Api.uniqueRepository("referrers");
        String other = Api.uniqueRepository("referrers");
        Image image = Images.pushImage(api, repo, "v1", 9);
        byte[] sbom = pushReferrer(repo, image, SBOM, Map.of());

        assertThat(assertIndex(api.get(referrersPath(other, image.digest())))).isEmpty();

        assertThat(api.delete("/v2/" + repo + "/manifests/" + Digest.sha256(sbom)).statusCode()).isEqualTo(202);
        assertThat(assertIndex(api.get(referrersPath(repo, image.digest())))).isEmpty();
    }

    @Test
    void aBadDigestIs400DigestInvalid() {
        String repo = Api.uniqueRepository("referrers");
        Images.pushImage(api, repo, "v1", 10);

        for (String digest : new String[] {"sha256:totallywrong", "sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "latest",
                "SHA256:" + "a".repeat(64), "sha256:" + "A".repeat(64)}) {
            assertError(api.get(referrersPath(repo, digest)), 400, "DIGEST_INVALID");
        }
    }
}
