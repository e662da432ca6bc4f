package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.DockerManifest;
import dev.berth.spec.manifest.Manifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveTest {
    static final String CONFIG = "sha256:22f66246bc57ecfde082218df060a378167afe294813e466d29346945eaf029f";
    static final String DIFF_ID = "sha256:63692d023e4204e07b92a8567618a0ebbe0b06c3846a2b2eb6b8115809fc8c13";
    static final String LAYER_GZ = "sha256:23acb00048caa8390528e08348ac404025ad473b281e6a9b2ba1d7be0306848c";

    @TempDir
    Path tmp;

    @Test
    void readsDockerSaveOutputAsACompressedSchema2Image() throws IOException {
        try (DockerArchive archive = DockerArchive.open(Fixtures.require("archives/busybox.docker.tar"))) {
            assertThat(archive.images()).singleElement().satisfies(image -> {
                assertThat(image.repoTags()).containsExactly("docker.io/testkit/busybox:latest");
                assertThat(image.layers()).containsExactly(DIFF_ID.substring(7) + ".tar");
            });
            DockerManifest manifest = (DockerManifest) archive.manifest(Tag.parse("latest"));
            assertThat(manifest.config().digest()).hasToString(CONFIG);
            assertThat(manifest.config().mediaType()).isEqualTo(MediaTypes.DOCKER_CONFIG);
            Descriptor layer = manifest.layers().get(0);
            assertThat(layer.mediaType()).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
            try (BlobStream blob = archive.blob(layer.digest())) {
                byte[] gz = blob.content().readAllBytes();
                assertThat(gz.length).isEqualTo(layer.size()).isEqualTo(blob.size());
                assertThat(Digest.sha256(gz)).isEqualTo(layer.digest());
                assertThat(Digest.sha256(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes())).hasToString(DIFF_ID);
            }
            assertThat(archive.manifest(manifest.digest()).content()).isEqualTo(manifest.content());
            assertThat(archive.manifest(0)).isSameAs(manifest);
            assertThatThrownBy(() -> archive.manifest(Tag.parse("other"))).isInstanceOf(ImageNotFoundException.class);
        }
    }

    @Test
    void pullingToDockerArchiveWritesWhatDockerSaveWrites() throws Exception {
        Path file = tmp.resolve("busybox.tar");
        try (OciLayout source = OciLayout.open(Fixtures.require("oci/busybox-amd64"));
                ImageDestination archive = DockerArchive.create(file, Optional.of("docker.io/testkit/busybox"))) {
            assertThat(archive.supportsIndexes()).isFalse();
            ImageCopier.copy(source, Tag.parse("latest"), archive, CopyOptions.defaults());
            archive.commit();
        }
        TarIndex ours = TarIndex.open(file);
        TarIndex skopeos = TarIndex.open(Fixtures.require("archives/busybox.docker.tar"));
        try (ours; skopeos) {
            for (String member : List.of("manifest.json", CONFIG.substring(7) + ".json", DIFF_ID.substring(7) + ".tar")) {
                assertThat(read(ours, member)).as(member).isEqualTo(read(skopeos, member));
            }
        }
        try (var list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString()).toList()).containsExactly("busybox.tar");
        }
        if (Fixtures.hasCommand("skopeo")) {
            Fixtures.run("skopeo", "--insecure-policy", "copy", "-q", "docker-archive:" + file, "oci:" + tmp.resolve("skopeo") + ":latest");
            try (OciLayout layout = OciLayout.open(tmp.resolve("skopeo"))) {
                Manifest manifest = layout.manifest(Tag.parse("latest"));
                assertThat(manifest.blobs()).first().hasToString(CONFIG);
            }
        }
    }

    /** skopeo's docker-archive of the debian fixture: 78 MB of layer, recompressed while its diff_id is checked. */
    @Test
    void readsALargeDockerArchive() throws IOException {
        Path file = Fixtures.require("archives/debian.docker.tar");
        Path layout = Fixtures.require("oci/debian");
        try (DockerArchive archive = DockerArchive.open(file); OciLayout original = OciLayout.open(layout);
                OciLayout copy = OciLayout.create(tmp.resolve("copy"))) {
            CopyReport report = ImageCopier.copy(archive, Tag.parse("bookworm"), copy, CopyOptions.defaults());
            DockerManifest manifest = (DockerManifest) copy.manifest(report.digest());
            Manifest expected = original.manifest(Tag.parse("bookworm"));
            assertThat(manifest.config().digest()).isEqualTo(expected.blobs().get(0));
            try (BlobStream layer = copy.blob(manifest.layers().get(0).digest());
                    InputStream in = new GZIPInputStream(layer.content())) {
                java.security.MessageDigest sha = Digest.newSha256();
                in.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), sha));
                assertThat(Digest.of(sha.digest())).isEqualTo(ImageJson.diffIds(readAll(copy, manifest.config().digest())).get(0));
            }
        }
    }

    @Test
    void schema1CannotGoIntoADockerArchive() throws IOException {
        SkopeoDir source = new SkopeoDir(Fixtures.require("docker/busybox-v2s1"));
        try (ImageDestination archive = DockerArchive.create(tmp.resolve("s1.tar"), Optional.empty())) {
            assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("latest"), archive, CopyOptions.defaults()))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("schema 1");
        }
    }

    @Test
    void roundTripsThroughALayoutAndBack() throws IOException {
        Path layout = tmp.resolve("layout");
        try (DockerArchive archive = DockerArchive.open(Fixtures.require("archives/busybox.docker.tar"));
                OciLayout out = OciLayout.create(layout)) {
            ImageCopier.copy(archive, Tag.parse("latest"), out, CopyOptions.defaults());
        }
        Path again = tmp.resolve("again.tar");
        try (OciLayout in = OciLayout.open(layout); ImageDestination out = DockerArchive.create(again, Optional.of("docker.io/testkit/busybox"))) {
            ImageCopier.copy(in, Tag.parse("latest"), out, CopyOptions.defaults());
            out.commit();
        }
        try (TarIndex ours = TarIndex.open(again); TarIndex original = TarIndex.open(Fixtures.require("archives/busybox.docker.tar"))) {
            for (String member : List.of("manifest.json", CONFIG.substring(7) + ".json", DIFF_ID.substring(7) + ".tar")) {
                assertThat(read(ours, member)).as(member).isEqualTo(read(original, member));
            }
        }
    }

    @Test
    void readsTheDocker25LayoutAndCompressedOrLinkedLayers() throws IOException {
        byte[] layer = TarTest.tar(w -> TarTest.file(w, "etc/hello", "hi"));
        byte[] gzLayer = gzip(TarTest.tar(w -> TarTest.file(w, "etc/second", "there")));
        Digest diffId = Digest.sha256(layer);
        Digest gzDiffId = Digest.sha256(new GZIPInputStream(new ByteArrayInputStream(gzLayer)).readAllBytes());
        byte[] config = config(diffId, gzDiffId, diffId);
        Path file = tmp.resolve("docker25.tar");
        Files.write(file, TarTest.tar(w -> {
            put(w, "blobs/sha256/" + Digest.sha256(config).hex(), config);
            put(w, "blobs/sha256/" + diffId.hex(), layer);
            put(w, "blobs/sha256/" + Digest.sha256(gzLayer).hex(), gzLayer);
            w.write(TarEntry.symlink("legacy/layer.tar", "../blobs/sha256/" + diffId.hex()));
            put(w, "manifest.json", ("[{\"Config\":\"blobs/sha256/" + Digest.sha256(config).hex() + "\",\"RepoTags\":[\"x/y:1\"],"
                    + "\"Layers\":[\"blobs/sha256/" + diffId.hex() + "\",\"blobs/sha256/" + Digest.sha256(gzLayer).hex()
                    + "\",\"legacy/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
        }));
        try (DockerArchive archive = DockerArchive.open(file); OciLayout out = OciLayout.create(tmp.resolve("out"))) {
            DockerManifest manifest = (DockerManifest) archive.manifest(Tag.parse("1"));
            assertThat(manifest.layers().get(1).digest()).isEqualTo(Digest.sha256(gzLayer));
            assertThat(manifest.layers().get(2).digest()).isEqualTo(manifest.layers().get(0).digest());
            ImageCopier.copy(archive, Tag.parse("1"), out, CopyOptions.defaults());
            try (BlobStream blob = out.blob(manifest.layers().get(1).digest())) {
                assertThat(blob.content().readAllBytes()).isEqualTo(gzLayer);
            }
        }
    }

    @Test
    void refusesLayersThatAreNotTheirDiffId() throws IOException {
        byte[] layer = TarTest.tar(w -> TarTest.file(w, "a", "a"));
        byte[] config = config(Digest.sha256("something else".getBytes(StandardCharsets.UTF_8)));
        Path file = tmp.resolve("bad.tar");
        Files.write(file, TarTest.tar(w -> {
            put(w, "c.json", config);
            put(w, "l.tar", layer);
            put(w, "manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"l.tar\"]}]".getBytes(StandardCharsets.UTF_8));
        }));
        try (DockerArchive archive = DockerArchive.open(file)) {
            assertThatThrownBy(() -> archive.manifest(Tag.parse("latest")))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("diff_id");
        }
    }

    @Test
    void refusesMemberLinksThatLeaveTheArchive() throws IOException {
        Path file = tmp.resolve("escape.tar");
        Files.write(file, TarTest.tar(w -> {
            w.write(TarEntry.symlink("c.json", "../../../etc/passwd"));
            put(w, "manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[]}]".getBytes(StandardCharsets.UTF_8));
        }));
        try (DockerArchive archive = DockerArchive.open(file)) {
            assertThatThrownBy(() -> archive.manifest(0)).isInstanceOf(InvalidImageException.class).hasMessageContaining("escapes");
        }
        Files.write(file, TarTest.tar(w -> put(w, "other", new byte[1])));
        assertThatThrownBy(() -> DockerArchive.open(file)).isInstanceOf(InvalidImageException.class).hasMessageContaining("manifest.json");
    }

    @Test
    void aDockerArchiveTakesOnePlatformOfAnIndex() throws IOException {
        Path multi = Fixtures.require("oci/busybox-multi");
        try (OciLayout source = OciLayout.open(multi); ImageDestination archive = DockerArchive.create(tmp.resolve("a.tar"), Optional.empty())) {
            assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("latest"), archive,
                    CopyOptions.defaults().withPlatforms(PlatformMatcher.all())))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("single images");
            CopyReport report = ImageCopier.copy(source, Tag.parse("latest"), archive,
                    CopyOptions.defaults().withPlatforms(PlatformMatcher.parse("linux/arm64")));
            assertThat(report.digest()).hasToString("sha256:2e7cc2a9bca675e3e00376e9e3be1a82caee038462d87b8b238f5bee45e3150a");
            archive.commit();
        }
        try (TarIndex tar = TarIndex.open(tmp.resolve("a.tar"))) {
            assertThat(new String(read(tar, "manifest.json"), StandardCharsets.UTF_8)).contains("\"RepoTags\":[]");
        }
    }

    @Test
    void theWriterChecksLayersAgainstTheConfig() throws IOException {
        MemoryImages source = new MemoryImages();
        byte[] layer = gzip(TarTest.tar(w -> TarTest.file(w, "a", "a")));
        byte[] config = config(Digest.sha256("not the layer".getBytes(StandardCharsets.UTF_8)));
        Digest layerDigest = source.addBlob(layer);
        Digest configDigest = source.addBlob(config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest + "\",\"size\":"
                + layer.length + "}]}";
        source.addManifest(manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, "bad");
        try (ImageDestination archive = DockerArchive.create(tmp.resolve("bad.tar"), Optional.of("bad"))) {
            assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("bad"), archive, CopyOptions.defaults()))
                    .isInstanceOf(InvalidImageException.class).hasMessageContaining("diff_id");
        }
        assertThat(tmp.resolve("bad.tar")).doesNotExist();
    }

    static byte[] config(Digest... diffIds) {
        StringBuilder ids = new StringBuilder();
        for (Digest id : diffIds) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(id).append('"');
        }
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    static void put(TarWriter writer, String name, byte[] content) throws IOException {
        writer.write(TarEntry.file(name, content.length, 0644), new ByteArrayInputStream(content));
    }

    static byte[] readAll(ImageSource source, Digest digest) throws IOException {
        try (BlobStream blob = source.blob(digest)) {
            return blob.content().readAllBytes();
        }
    }

    static byte[] read(TarIndex tar, String member) throws IOException {
        try (BlobStream blob = tar.open(member); InputStream in = blob.content()) {
            return in.readAllBytes();
        }
    }
}
