package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pull by berth and a pull by skopeo of the same image give the same OCI layout: the same blob files
 * with the same bytes (manifests, configs, layers) and the same {@code index.json} entries. Skipped
 * loudly without skopeo, the fixtures or (for its half) CNCF distribution.
 */
class SkopeoParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BothRegistries registries = new BothRegistries();

    @TempDir
    Path tmp;

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("berth", "oci/debian", "bookworm", false),
                Arguments.of("berth", "oci/busybox-multi", "latest", true),
                Arguments.of("distribution", "oci/debian", "bookworm", false),
                Arguments.of("distribution", "oci/busybox-multi", "latest", true));
    }

    @ParameterizedTest(name = "{0} {1} all platforms: {3}")
    @MethodSource("images")
    void berthAndSkopeoPullTheSameLayout(String which, String fixtureName, String fixtureTag, boolean allPlatforms) throws Exception {
        Fixtures.skopeo();
        Path fixture = Fixtures.require(fixtureName);
        String registry = registries.host(which);
        Cli cli = new Cli(tmp.resolve("home"));
        String ref = registry + "/parity/" + fixture.getFileName() + ":t";
        Cli.Result pushed = cli.run("push", "oci:" + fixture + ":" + fixtureTag, ref);
        assertThat(pushed.status()).as(pushed.toString()).isZero();

        Path byBerth = tmp.resolve("berth");
        Path bySkopeo = tmp.resolve("skopeo");
        Cli.Result pulled = allPlatforms
                ? cli.run("pull", ref, "--all-platforms", "--format", "oci", "--output", byBerth.toString())
                : cli.run("pull", ref, "--platform", "linux/amd64", "--output", byBerth.toString());
        assertThat(pulled.status()).as(pulled.toString()).isZero();
        if (allPlatforms) {
            Fixtures.skopeo("copy", "--all", "--src-tls-verify=false", "docker://" + ref, "oci:" + bySkopeo + ":t");
        } else {
            Fixtures.skopeo("copy", "--override-os", "linux", "--override-arch", "amd64", "--src-tls-verify=false",
                    "docker://" + ref, "oci:" + bySkopeo + ":t");
        }

        Map<String, byte[]> berthBlobs = Fixtures.files(byBerth.resolve("blobs"));
        Map<String, byte[]> skopeoBlobs = Fixtures.files(bySkopeo.resolve("blobs"));
        assertThat(berthBlobs.keySet()).isEqualTo(skopeoBlobs.keySet());
        berthBlobs.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(skopeoBlobs.get(name)));
        assertThat(JSON.readTree(byBerth.resolve("index.json").toFile()))
                .isEqualTo(JSON.readTree(bySkopeo.resolve("index.json").toFile()));
        assertThat(JSON.readTree(byBerth.resolve("oci-layout").toFile()))
                .isEqualTo(JSON.readTree(bySkopeo.resolve("oci-layout").toFile()));
    }
}
