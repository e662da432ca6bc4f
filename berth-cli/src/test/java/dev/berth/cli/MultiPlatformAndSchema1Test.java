package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.BlobSource;
import dev.berth.client.RegistryClient;
import dev.berth.client.it.BerthRegistry;
import dev.berth.client.it.Distribution;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Reference;
import dev.berth.spec.Repository;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifests;
import dev.berth.spec.manifest.Schema1Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digests survive {@code berth copy} between two registries: a multi-platform index copied with
 * {@code --all-platforms} keeps its digest (one platform picked otherwise), and a signed schema 1 manifest
 * keeps its bytes and signatures. Two berths and CNCF distribution (skipped loudly when missing).
 */
class MultiPlatformAndSchema1Test {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BerthRegistry berth;
    private static BerthRegistry otherBerth;
    private static Distribution distribution;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        berth = BerthRegistry.start("none", Map.of());
        otherBerth = BerthRegistry.start("none", Map.of());
        if (Distribution.binary().isPresent()) {
            distribution = Distribution.start("");
        }
    }

    @AfterAll
    static void stop() {
        berth.close();
        otherBerth.close();
        if (distribution != null) {
            distribution.close();
        }
    }

    private Cli cli() {
        return new Cli(tmp.resolve("home"));
    }

    private static Cli.Result ok(Cli.Result result) {
        assertThat(result.status()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void allPlatformsKeepsTheIndexDigestAcrossRegistries() throws Exception {
        Path fixture = Fixtures.require("oci/busybox-multi");
        Cli cli = cli();
        String source = berth.registry() + "/multi/busybox:1";
        ok(cli.run("push", "oci:" + fixture + ":latest", source));
        assertThat(ok(cli.run("digest", source)).out().strip()).isEqualTo(Fixtures.BUSYBOX_MULTI_INDEX);

        String onOther = otherBerth.registry() + "/multi/busybox:1";
        JsonNode copied = JSON.readTree(ok(cli.run("copy", "--all-platforms", source, onOther, "--json")).out());
        assertThat(copied.get("digest").asText()).isEqualTo(Fixtures.BUSYBOX_MULTI_INDEX);
        assertThat(copied.get("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(ok(cli.run("digest", onOther)).out().strip()).isEqualTo(Fixtures.BUSYBOX_MULTI_INDEX);
        assertThat(ok(cli.run("digest", otherBerth.registry() + "/multi/busybox@" + Fixtures.BUSYBOX_ARM64)).out().strip())
                .isEqualTo(Fixtures.BUSYBOX_ARM64);

        if (distribution != null) {
            String onDistribution = distribution.registry() + "/multi/busybox:1";
            ok(cli.run("copy", "-a", onOther, onDistribution));
            assertThat(ok(cli.run("digest", onDistribution)).out().strip()).isEqualTo(Fixtures.BUSYBOX_MULTI_INDEX);
            assertThat(ok(cli.run("inspect", "--raw", onDistribution)).out().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(Files.readAllBytes(fixture.resolve("blobs/sha256/" + Fixtures.BUSYBOX_MULTI_INDEX.substring(7))));
        } else {
            Distribution.requireBinary();
        }
    }

    @Test
    void withoutAllPlatformsOnePlatformIsCopied() throws Exception {
        Path fixture = Fixtures.require("oci/busybox-multi");
        Cli cli = cli();
        String source = berth.registry() + "/single/busybox:1";
        ok(cli.run("push", "oci:" + fixture, source));
        String target = otherBerth.registry() + "/single/busybox:arm";
        JsonNode copied = JSON.readTree(ok(cli.run("copy", "--platform", "linux/arm64", source, target, "--json")).out());
        assertThat(copied.get("digest").asText()).isEqualTo(Fixtures.BUSYBOX_ARM64);
        assertThat(ok(cli.run("digest", target)).out().strip()).isEqualTo(Fixtures.BUSYBOX_ARM64);

        Cli.Result noSuchPlatform = cli.run("copy", "--platform", "linux/s390x", source, target);
        assertThat(noSuchPlatform.status()).isEqualTo(3);
        assertThat(noSuchPlatform.errLine()).startsWith("berth: no manifest for linux/s390x").contains("linux/amd64", "linux/arm64");
    }

    /**
     * The fixture's manifest names no repository ({@code "name": ""}), which berth and distribution both
     * refuse; so the tests sign its payload afresh under the repository's name, as docker did on push.
     */
    @Test
    void signedSchema1CopiesByteForByteBetweenBerths() throws Exception {
        Path fixture = Fixtures.require("docker/busybox-v2s1");
        Repository repo = Repository.parse(berth.registry() + "/schema1/busybox");
        byte[] manifest = resign(Files.readAllBytes(fixture.resolve("manifest.json")), repo.name().value(), "v1");
        Digest pushed = pushSchema1(repo, fixture, manifest);

        Cli cli = cli();
        String target = otherBerth.registry() + "/schema1/busybox:v1";
        JsonNode copied = JSON.readTree(ok(cli.run("copy", repo + ":v1", target, "--json")).out());
        assertThat(copied.get("digest").asText()).isEqualTo(pushed.toString());
        assertThat(copied.get("mediaType").asText()).isEqualTo(MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertThat(copied.get("blobsCopied").asInt()).isEqualTo(1);
        assertThat(ok(cli.run("inspect", "--raw", target)).out().getBytes(StandardCharsets.UTF_8))
                .as("the signed manifest, signatures included").isEqualTo(manifest);
        assertThat(ok(cli.run("digest", target)).out().strip()).isEqualTo(pushed.toString());
        JsonNode summary = JSON.readTree(ok(cli.run("inspect", target)).out());
        assertThat(summary.get("Digest").asText()).isEqualTo(pushed.toString());
        assertThat(summary.get("Architecture").asText()).isEqualTo("amd64");
        assertThat(summary.get("Created").asText()).isEqualTo("2024-05-20T00:00:00Z");
        assertThat(summary.get("Layers")).hasSize(1);
        assertThat(summary.get("Layers").get(0).asText()).isEqualTo(LAYER.toString());
    }

    /**
     * Distribution 2.8 keeps no signatures: it signs schema 1 manifests afresh with its own key on every
     * GET (and the signature's protected header holds the time). What survives a copy through it is the
     * signed payload, and so the digest; berth accepts the copy only because its signatures verify.
     */
    @Test
    void signedSchema1KeepsItsDigestThroughDistribution() throws Exception {
        Distribution.requireBinary();
        Path fixture = Fixtures.require("docker/busybox-v2s1");
        Repository repo = Repository.parse(distribution.registry() + "/schema1/busybox");
        byte[] manifest = resign(Files.readAllBytes(fixture.resolve("manifest.json")), repo.name().value(), "v1");
        Digest pushed = pushSchema1(repo, fixture, manifest);

        Cli cli = cli();
        String onBerth = berth.registry() + "/schema1/busybox:dist";
        JsonNode copied = JSON.readTree(ok(cli.run("copy", repo + ":v1", onBerth, "--json")).out());
        assertThat(copied.get("digest").asText()).isEqualTo(pushed.toString());
        assertThat(copied.get("mediaType").asText()).isEqualTo(MediaTypes.DOCKER_SCHEMA1_SIGNED);
        byte[] onBerthBytes = ok(cli.run("inspect", "--raw", onBerth)).out().getBytes(StandardCharsets.UTF_8);
        Schema1Manifest stored = (Schema1Manifest) Manifests.parse(onBerthBytes, MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertThat(stored.digest()).isEqualTo(pushed);
        assertThat(stored.name()).isEqualTo("schema1/busybox");

        String back = distribution.registry() + "/schema1/busybox:back";
        ok(cli.run("copy", onBerth, back));
        assertThat(ok(cli.run("digest", back)).out().strip()).isEqualTo(pushed.toString());
    }

    private static final Digest LAYER = Digest.parse("sha256:23acb00048caa8390528e08348ac404025ad473b281e6a9b2ba1d7be0306848c");

    private static Digest pushSchema1(Repository repo, Path fixture, byte[] manifest) {
        RegistryClient client = RegistryClient.builder().build();
        client.pushBlob(repo, BlobSource.of(fixture.resolve(LAYER.hex()), LAYER));
        return client.pushManifest(new Reference.ByTag(repo, Tag.parse("v1")), manifest, MediaTypes.DOCKER_SCHEMA1_SIGNED);
    }

    /** The fixture's payload under {@code name} and {@code tag}, signed with a new key as docker did (three-space indent). */
    private static byte[] resign(byte[] signed, String name, String tag) throws Exception {
        JsonNode fixture = JSON.readTree(signed);
        String unsigned = """
                {
                   "schemaVersion": 1,
                   "name": %s,
                   "tag": %s,
                   "architecture": %s,
                   "fsLayers": [
                      {
                         "blobSum": %s
                      }
                   ],
                   "history": [
                      {
                         "v1Compatibility": %s
                      }
                   ]
                }""".formatted(JSON.writeValueAsString(name), JSON.writeValueAsString(tag),
                JSON.writeValueAsString(fixture.get("architecture").asText()),
                JSON.writeValueAsString(fixture.at("/fsLayers/0/blobSum").asText()),
                JSON.writeValueAsString(fixture.at("/history/0/v1Compatibility").asText()));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return Schema1Manifest.sign(unsigned.getBytes(StandardCharsets.UTF_8), generator.generateKeyPair());
    }
}
