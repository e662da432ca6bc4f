package dev.berth.cli;

import static dev.berth.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.it.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code pull}, {@code push} and {@code copy} against real registries: berth (in this process, no auth)
 * and CNCF distribution 2.8.2 (no auth; skipped loudly where it is not installed), in all three local
 * formats, with digests checked at every step.
 */
class TransferCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BothRegistries registries = new BothRegistries();

    @TempDir
    Path tmp;

    private Cli cli() {
        return new Cli(tmp.resolve("home"));
    }

    private static JsonNode json(Cli.Result result) throws Exception {
        return JSON.readTree(ok(result).out());
    }

    private String digest(Cli cli, String ref) {
        return ok(cli.run("digest", ref)).out().strip();
    }

    @ParameterizedTest
    @MethodSource(BothRegistries.NAMES)
    void roundTripsThroughAllThreeFormats(String which) throws Exception {
        Path fixture = Fixtures.require("oci/busybox-amd64");
        String registry = registries.host(which);
        Cli cli = cli();
        String ref = registry + "/rt/busybox:1";

        JsonNode pushed = json(cli.run("push", "oci:" + fixture + ":latest", ref, "--json"));
        assertThat(pushed.get("digest").asText()).isEqualTo(Fixtures.BUSYBOX_AMD64);
        assertThat(pushed.get("blobsCopied").asInt()).isEqualTo(2);

        // OCI layout: the same manifest bytes as the fixture, named by the tag
        Path layout = tmp.resolve("layout");
        ok(cli.run("pull", ref, "--output", layout.toString()));
        assertThat(Files.readString(layout.resolve("index.json"))).contains(Fixtures.BUSYBOX_AMD64, "\"org.opencontainers.image.ref.name\":\"1\"");
        assertThat(Fixtures.files(layout.resolve("blobs"))).containsOnlyKeys(Fixtures.files(fixture.resolve("blobs")).keySet());
        JsonNode fromLayout = json(cli.run("push", "oci:" + layout + ":1", registry + "/rt/from-oci:1", "--json"));
        assertThat(fromLayout.get("digest").asText()).isEqualTo(Fixtures.BUSYBOX_AMD64);

        // oci-archive: the same digest after a round trip
        Path ociArchive = tmp.resolve("busybox.oci.tar");
        JsonNode pulled = json(cli.run("pull", ref, "--format", "oci-archive", "--output", ociArchive.toString(), "--json"));
        assertThat(pulled.get("digest").asText()).isEqualTo(Fixtures.BUSYBOX_AMD64);
        assertThat(json(cli.run("push", "oci-archive:" + ociArchive, registry + "/rt/from-oci-archive:1", "--json"))
                .get("digest").asText()).isEqualTo(Fixtures.BUSYBOX_AMD64);

        // docker-archive: layers are stored uncompressed, so a push builds a new (Docker schema 2) manifest,
        // but the config, and with it the image id and every diff_id, survives, and a second round trip is stable
        Path dockerArchive = tmp.resolve("busybox.docker.tar");
        ok(cli.run("pull", ref, "--format", "docker-archive", "--output", dockerArchive.toString()));
        JsonNode fromDocker = json(cli.run("push", dockerArchive.toString(), registry + "/rt/from-docker-archive:1", "--json"));
        assertThat(fromDocker.get("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(ok(cli.run("inspect", "--config", registry + "/rt/from-docker-archive:1")).out())
                .isEqualTo(ok(cli.run("inspect", "--config", ref)).out());
        Path again = tmp.resolve("again.docker.tar");
        ok(cli.run("pull", registry + "/rt/from-docker-archive:1", "-f", "docker-archive", "-o", again.toString()));
        JsonNode secondPush = json(cli.run("push", "docker-archive:" + again, registry + "/rt/from-docker-archive:2", "--json"));
        assertThat(secondPush.get("digest").asText()).isEqualTo(fromDocker.get("digest").asText());
    }

    @ParameterizedTest
    @MethodSource(BothRegistries.NAMES)
    void pushesArchivesFromTheTestkit(String which) throws Exception {
        Path dockerTar = Fixtures.require("archives/busybox.docker.tar");
        Path ociTar = Fixtures.require("archives/debian.oci.tar");
        String registry = registries.host(which);
        Cli cli = cli();
        JsonNode docker = json(cli.run("push", dockerTar.toString(), registry + "/archives/busybox:1", "--json"));
        assertThat(digest(cli, registry + "/archives/busybox:1")).isEqualTo(docker.get("digest").asText());
        JsonNode oci = json(cli.run("push", ociTar.toString(), registry + "/archives/debian:bookworm", "--json"));
        assertThat(oci.get("digest").asText()).isEqualTo(Fixtures.DEBIAN);
        assertThat(digest(cli, registry + "/archives/debian:bookworm")).isEqualTo(Fixtures.DEBIAN);
    }

    @Test
    void copiesBetweenRegistriesAndLocalTransports() throws Exception {
        Distribution.requireBinary();
        Path fixture = Fixtures.require("oci/debian");
        Cli cli = cli();
        String onBerth = registries.berth() + "/copy/debian:bookworm";
        String onDistribution = registries.distribution() + "/copy/debian:bookworm";

        JsonNode in = json(cli.run("copy", "oci:" + fixture + ":bookworm", "docker://" + onBerth, "--json"));
        assertThat(in.get("digest").asText()).isEqualTo(Fixtures.DEBIAN);
        JsonNode across = json(cli.run("copy", onBerth, onDistribution, "--json"));
        assertThat(across.get("digest").asText()).isEqualTo(Fixtures.DEBIAN);
        assertThat(across.get("blobsCopied").asInt()).isEqualTo(2);
        assertThat(across.get("bytesCopied").asLong()).isGreaterThan(28_000_000);
        assertThat(json(cli.run("copy", onBerth, onDistribution, "--json")).get("blobsSkipped").asInt())
                .as("a second copy finds every blob there").isEqualTo(2);

        Path archive = tmp.resolve("debian.oci.tar");
        ok(cli.run("copy", "docker://" + onDistribution, "oci-archive:" + archive + ":bookworm"));
        Path layout = tmp.resolve("debian");
        ok(cli.run("copy", "oci-archive:" + archive + ":bookworm", "oci:" + layout + ":bookworm"));
        assertThat(Fixtures.files(layout.resolve("blobs"))).containsOnlyKeys(Fixtures.files(fixture.resolve("blobs")).keySet());
        assertThat(Files.readAllBytes(layout.resolve("blobs/sha256/" + Fixtures.DEBIAN.substring(7))))
                .isEqualTo(Files.readAllBytes(fixture.resolve("blobs/sha256/" + Fixtures.DEBIAN.substring(7))));
    }

    @Test
    void mountsAcrossRepositoriesOfOneRegistry() throws Exception {
        Path fixture = Fixtures.require("oci/busybox-amd64");
        Cli cli = cli();
        String from = registries.berth() + "/mount/source:1";
        ok(cli.run("push", fixture.toString(), from));
        JsonNode copied = json(cli.run("copy", from, registries.berth() + "/mount/target:1", "--json"));
        assertThat(copied.get("blobsMounted").asInt()).isEqualTo(2);
        assertThat(copied.get("blobsCopied").asInt()).isZero();
        assertThat(copied.get("bytesCopied").asLong()).isZero();
        assertThat(digest(cli, registries.berth() + "/mount/target:1")).isEqualTo(Fixtures.BUSYBOX_AMD64);
    }

    @Test
    void pushByDigestChecksTheDigest() {
        Path fixture = Fixtures.require("oci/busybox-amd64");
        Cli cli = cli();
        ok(cli.run("push", fixture.toString(), registries.berth() + "/bydigest/app@" + Fixtures.BUSYBOX_AMD64));
        assertThat(ok(cli.run("tags", registries.berth() + "/bydigest/app")).out()).isEmpty();
        Cli.Result wrong = cli.run("push", fixture.toString(), registries.berth() + "/bydigest/app@" + Fixtures.BUSYBOX_ARM64);
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.errLine()).startsWith("berth: the image has digest " + Fixtures.BUSYBOX_AMD64).doesNotContain("\n");
    }

    @Test
    void reportsLocalProblemsInOneLine() {
        Cli cli = cli();
        Cli.Result missing = cli.run("push", tmp.resolve("nothing-here").toString(), registries.berth() + "/x/y:1");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.errLine()).startsWith("berth: ").contains("nothing-here").doesNotContain("\n");
        Path fixture = Fixtures.require("oci/busybox-amd64");
        Cli.Result noSuchName = cli.run("push", "oci:" + fixture + ":nope", registries.berth() + "/x/y:1");
        assertThat(noSuchName.status()).isEqualTo(3);
        assertThat(noSuchName.errLine()).isEqualTo("berth: oci:" + fixture + " has no image named nope (it has latest)");
        Cli.Result multi = cli.run("pull", registries.berth() + "/nothing/here:1", "-o", tmp.resolve("x").toString());
        assertThat(multi.status()).isEqualTo(3);
        assertThat(multi.errLine()).contains(": 404 ").doesNotContain("\n");
    }

    @Test
    void drawsProgressOnlyOnATerminalAndNotWhenQuiet() {
        Path fixture = Fixtures.require("oci/debian");
        Cli cli = cli();
        cli.terminal = true;
        Cli.Result shown = ok2(cli.run("push", fixture.toString(), registries.berth() + "/progress/debian:1"));
        assertThat(shown.err()).startsWith("\rpushing: ").contains("2 of 2 blobs", "27.1 MiB").endsWith("\n");
        assertThat(shown.out()).startsWith("pushed ");
        Cli.Result quiet = ok2(cli.run("pull", "-q", registries.berth() + "/progress/debian:1", "-o", tmp.resolve("quiet").toString()));
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).isEmpty();
    }

    private static Cli.Result ok2(Cli.Result result) {
        assertThat(result.status()).as(result.toString()).isZero();
        return result;
    }
}
