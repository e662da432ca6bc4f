package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OciLayoutTest {
    @TempDir
    Path tmp;

    /** Every testkit layout, copied tag by tag with all platforms, comes out identical. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "busybox-amd64, latest",
            "busybox-arm64, latest",
            "busybox-multi, latest",
            "referrers,     image sbom signature",
            "debian,        bookworm",
    })
    void copiesTestkitLayoutsIdentically(String fixture, String tags) throws IOException {
        Path source = Fixtures.require("oci/" + fixture);
        Path target = tmp.resolve(fixture);
        try (OciLayout from = OciLayout.open(source); OciLayout to = OciLayout.create(target)) {
            for (String tag : tags.split(" ")) {
                ImageCopier.copy(from, Tag.parse(tag), to, CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
            }
        }
        Layouts.assertSame(source, target);
        assertThat(Files.readString(target.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /** skopeo's own oci:DIR:TAG output, re-copied by berth: the same blobs and the very same index.json bytes. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "busybox-amd64, '',            linux/amd64",
            "busybox-multi, --all,         all",
            "busybox-multi, '',            linux/amd64",
            "busybox-multi, --override-arch=arm64, linux/arm64",
    })
    void roundTripsSkopeoLayouts(String fixture, String skopeoFlag, String platform) throws Exception {
        Fixtures.requireCommand("skopeo");
        Path source = Fixtures.require("oci/" + fixture);
        Path skopeo = tmp.resolve("skopeo");
        Path berth = tmp.resolve("berth");
        skopeo(skopeoFlag, "oci:" + source + ":latest", "oci:" + skopeo + ":v1");
        PlatformMatcher platforms = platform.equals("all") ? PlatformMatcher.all() : PlatformMatcher.parse(platform);
        try (OciLayout from = OciLayout.open(source); OciLayout to = OciLayout.create(berth)) {
            ImageCopier.copy(from, Tag.parse("latest"), to, CopyOptions.defaults().withPlatforms(platforms).withTag(Tag.parse("v1")));
        }
        Layouts.assertSame(skopeo, berth);
        assertThat(Files.readString(berth.resolve("index.json"))).isEqualTo(Files.readString(skopeo.resolve("index.json")));

        // and skopeo reads what berth wrote, verifying every digest as it copies it
        String raw = Fixtures.run("skopeo", "inspect", "--raw", "oci:" + berth + ":v1");
        try (OciLayout layout = OciLayout.open(berth)) {
            assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(layout.manifest(Tag.parse("v1")).content());
        }
        skopeo("--all", "oci:" + berth + ":v1", "oci:" + tmp.resolve("again") + ":v1");
        Layouts.assertSame(berth, tmp.resolve("again"));
    }

    @Test
    void readsByTagByDigestAndByAnyRefName() throws IOException {
        try (OciLayout layout = OciLayout.open(Fixtures.require("oci/referrers"))) {
            Manifest sbom = layout.manifest(Tag.parse("sbom"));
            assertThat(sbom.digest()).hasToString("sha256:876addd0352e2a03bf8991b913dbcecd8d3008b31bf4b1a07ce658ef43fdd523");
            assertThat(layout.manifest(sbom.digest()).content()).isEqualTo(sbom.content());
            assertThat(layout.find("signature")).map(d -> d.artifactType()).contains("application/vnd.example.signature.v1");
            assertThat(layout.index().manifests()).hasSize(3);
            assertThatThrownBy(() -> layout.manifest(Tag.parse("nope"))).isInstanceOf(ImageNotFoundException.class);
            assertThatThrownBy(() -> layout.blob(Digest.sha256(new byte[1]))).isInstanceOf(ImageNotFoundException.class);
        }
    }

    @Test
    void refusesWhatIsNotALayoutAndTamperedManifests() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> OciLayout.open(empty)).isInstanceOf(InvalidImageException.class).hasMessageContaining("oci-layout");
        assertThatThrownBy(() -> OciLayout.open(tmp.resolve("missing"))).isInstanceOf(java.nio.file.NoSuchFileException.class);

        Path layoutDir = tmp.resolve("tampered");
        try (OciLayout layout = OciLayout.create(layoutDir)) {
            Manifest manifest = artifact("one");
            putAll(layout, manifest);
            layout.putRoot(manifest, Optional.of(Tag.parse("one")));
            Files.writeString(layoutDir.resolve(OciLayoutReader.blobPath(manifest.digest())), "{\"schemaVersion\":2}");
            assertThatThrownBy(() -> layout.manifest(Tag.parse("one"))).isInstanceOf(InvalidImageException.class)
                    .hasMessageContaining("does not match");
        }
    }

    @Test
    void severalEntriesWithOneNameAreAmbiguous() throws IOException {
        Path dir = tmp.resolve("dup");
        try (OciLayout layout = OciLayout.create(dir)) {
            putAll(layout, artifact("a"));
            putAll(layout, artifact("b"));
            layout.putRoot(artifact("a"), Optional.of(Tag.parse("x")));
            layout.putRoot(artifact("b"), Optional.of(Tag.parse("y")));
        }
        Files.writeString(dir.resolve("index.json"), Files.readString(dir.resolve("index.json")).replace("\"y\"", "\"x\""));
        try (OciLayout layout = OciLayout.open(dir)) {
            assertThatThrownBy(() -> layout.manifest(Tag.parse("x"))).isInstanceOf(InvalidImageException.class)
                    .hasMessageContaining("several");
        }
    }

    @Test
    void retaggingReplacesTheEntryAndKeepsEverythingElse() throws IOException {
        Path dir = tmp.resolve("retag");
        try (OciLayout layout = OciLayout.create(dir)) {
            putAll(layout, artifact("a"));
            putAll(layout, artifact("b"));
            layout.putRoot(artifact("a"), Optional.of(Tag.parse("keep")));
            layout.putRoot(artifact("a"), Optional.of(Tag.parse("moving")));
            Files.writeString(dir.resolve("index.json"), Files.readString(dir.resolve("index.json"))
                    .replaceFirst("\\{", "{\"annotations\":{\"custom\":\"kept\"},"));
            layout.putRoot(artifact("b"), Optional.of(Tag.parse("moving")));
            layout.putRoot(artifact("b"), Optional.empty());
            layout.putRoot(artifact("b"), Optional.empty());
            assertThat(layout.manifest(Tag.parse("moving")).digest()).isEqualTo(artifact("b").digest());
            assertThat(layout.manifest(Tag.parse("keep")).digest()).isEqualTo(artifact("a").digest());
            assertThat(layout.index().annotations()).containsEntry("custom", "kept");
        }
        assertThat(Layouts.entries(dir)).containsExactly(
                entry(artifact("a"), "keep"), entry(artifact("b"), "moving"), entry(artifact("b"), "-"));
    }

    @Test
    void blobsAreVerifiedBeforeTheyAppear() throws IOException {
        Path dir = tmp.resolve("verify");
        byte[] content = "layer bytes".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        try (OciLayout layout = OciLayout.create(dir)) {
            assertThatThrownBy(() -> layout.putBlob(new BlobInfo(digest, content.length, MediaTypes.OCTET_STREAM),
                    () -> new ByteArrayInputStream("other bytes".getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("digest mismatch");
            assertThatThrownBy(() -> layout.putBlob(new BlobInfo(digest, content.length + 1, MediaTypes.OCTET_STREAM),
                    () -> new ByteArrayInputStream(content))).isInstanceOf(InvalidImageException.class);
            assertThatThrownBy(() -> layout.putBlob(new BlobInfo(digest, content.length, MediaTypes.OCTET_STREAM),
                    () -> failingAfter(content, 4))).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
            assertThat(layout.hasBlob(digest)).isFalse();

            layout.putBlob(new BlobInfo(digest, -1, MediaTypes.OCTET_STREAM), () -> new ByteArrayInputStream(content));
            assertThat(layout.hasBlob(digest)).isTrue();
            Path file = dir.resolve(OciLayoutReader.blobPath(digest));
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        }
        assertThat(Layouts.blobs(dir)).hasSize(1);
        try (var top = Files.list(dir)) {
            assertThat(top.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("blobs", "index.json", "oci-layout");
        }
    }

    @Test
    void cannotHoldSchema1Manifests() throws IOException {
        Path dir = Fixtures.require("docker/busybox-v2s1");
        try (OciLayout layout = OciLayout.create(tmp.resolve("s1"))) {
            assertThatThrownBy(() -> ImageCopier.copy(new SkopeoDir(dir), Tag.parse("latest"), layout, CopyOptions.defaults()))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("schema 1");
        }
    }

    static Manifest artifact(String name) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.test." + name + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
                + "\"layers\":[]}";
        return dev.berth.spec.manifest.Manifests.parse(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    }

    static void putAll(OciLayout layout, Manifest manifest) throws IOException {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        layout.putBlob(new BlobInfo(Digest.sha256(empty), 2, MediaTypes.OCI_EMPTY), () -> new ByteArrayInputStream(empty));
        layout.putManifest(manifest);
    }

    private static String entry(Manifest manifest, String name) {
        return manifest.mediaType() + " " + manifest.digest() + " " + manifest.content().length + " " + name;
    }

    private static InputStream failingAfter(byte[] content, int bytes) {
        return new InputStream() {
            int at;

            @Override
            public int read() throws IOException {
                if (at >= bytes) {
                    throw new IOException("connection reset");
                }
                return content[at++];
            }
        };
    }

    private static void skopeo(String flag, String from, String to) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "-q"));
        if (!flag.isEmpty()) {
            command.add(flag.startsWith("--override") ? 1 : command.size(), flag);
        }
        command.add(from);
        command.add(to);
        Fixtures.run(command.toArray(String[]::new));
    }
}
