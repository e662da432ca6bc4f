package dev.berth.cli;

import static dev.berth.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.spec.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code digest}, {@code tags}, {@code catalog}, {@code inspect} and {@code delete}, against berth and distribution. */
class QueryCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BothRegistries registries = new BothRegistries();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource(BothRegistries.NAMES)
    void queriesAndDeletes(String which) throws Exception {
        Path fixture = Fixtures.require("oci/busybox-multi");
        String registry = registries.host(which);
        Cli cli = new Cli(tmp.resolve("home"));
        String repo = registry + "/query/busybox";
        ok(cli.run("push", "oci:" + fixture, repo + ":1"));
        ok(cli.run("copy", "--all-platforms", repo + ":1", repo + ":2"));
        ok(cli.run("push", "--platform", "linux/amd64", "oci:" + fixture, registry + "/query/other:x"));

        // digest: the index's own
        assertThat(ok(cli.run("digest", repo + ":1")).out()).isEqualTo(Fixtures.BUSYBOX_MULTI_INDEX + "\n");

        // tags and catalog, as lines and as JSON
        assertThat(ok(cli.run("tags", repo)).out().lines()).containsExactlyInAnyOrder("1", "2");
        JsonNode tags = JSON.readTree(ok(cli.run("tags", repo, "--json")).out());
        assertThat(tags.get("Repository").asText()).isEqualTo(repo);
        assertThat(tags.get("Tags")).extracting(JsonNode::asText).containsExactlyInAnyOrder("1", "2");
        assertThat(ok(cli.run("catalog", registry)).out().lines()).contains("query/busybox", "query/other");
        JsonNode catalog = JSON.readTree(ok(cli.run("catalog", registry, "--json")).out());
        assertThat(catalog.get("Registry").asText()).isEqualTo(registry);
        assertThat(catalog.get("Repositories")).extracting(JsonNode::asText).contains("query/busybox", "query/other");

        // inspect: the summary, the exact manifest bytes, the config
        JsonNode summary = JSON.readTree(ok(cli.run("inspect", "--platform", "linux/arm64", repo + ":1")).out());
        assertThat(summary.get("Name").asText()).isEqualTo(repo);
        assertThat(summary.get("Tag").asText()).isEqualTo("1");
        assertThat(summary.get("Digest").asText()).isEqualTo(Fixtures.BUSYBOX_MULTI_INDEX);
        assertThat(summary.get("MediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(summary.get("Manifests")).extracting(m -> m.get("Platform").asText()).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(summary.get("ImageDigest").asText()).isEqualTo(Fixtures.BUSYBOX_ARM64);
        assertThat(summary.get("Architecture").asText()).isEqualTo("arm64");
        assertThat(summary.get("Os").asText()).isEqualTo("linux");
        assertThat(summary.get("Created").asText()).isEqualTo("2024-05-20T00:00:00Z");
        assertThat(summary.get("Labels").get("org.opencontainers.image.title").asText()).isEqualTo("busybox-arm64");
        assertThat(summary.get("Layers")).hasSize(1);

        byte[] raw = ok(cli.run("inspect", "--raw", repo + ":1")).out().getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.sha256(raw).toString()).isEqualTo(Fixtures.BUSYBOX_MULTI_INDEX);
        byte[] amd64 = ok(cli.run("inspect", "--raw", "--platform", "linux/amd64", repo + ":1")).out().getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.sha256(amd64).toString()).isEqualTo(Fixtures.BUSYBOX_AMD64);
        String configDigest = JSON.readTree(amd64).at("/config/digest").asText();
        byte[] config = ok(cli.run("inspect", "--config", "--platform", "linux/amd64", repo + ":1")).out().getBytes(StandardCharsets.UTF_8);
        assertThat(config).isEqualTo(Files.readAllBytes(fixture.resolve("blobs/sha256/" + configDigest.substring(7))));
        JsonNode single = JSON.readTree(ok(cli.run("inspect", registry + "/query/other:x")).out());
        assertThat(single.get("Digest").asText()).isEqualTo(Fixtures.BUSYBOX_AMD64);
        assertThat(single.has("Manifests")).isFalse();

        // delete by tag removes the manifest, and with it both tags
        assertThat(ok(cli.run("delete", repo + ":2")).out()).isEqualTo("deleted " + repo + "@" + Fixtures.BUSYBOX_MULTI_INDEX + "\n");
        Cli.Result gone = cli.run("digest", repo + ":1");
        assertThat(gone.status()).as(gone.toString()).isEqualTo(3);
        assertThat(gone.out()).isEmpty();
        assertThat(gone.errLine()).startsWith("berth: ").contains("404 MANIFEST_UNKNOWN").doesNotContain("\n");
        Cli.Result again = cli.run("delete", repo + "@" + Fixtures.BUSYBOX_MULTI_INDEX, "--json");
        assertThat(again.status()).isEqualTo(3);
        assertThat(again.errLine()).contains("MANIFEST_UNKNOWN").doesNotContain("\n");
    }
}
