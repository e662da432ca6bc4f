package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ImageCopierTest {
    static final String MULTI_INDEX = "sha256:b45d6c615656a0f27aef9990da8af6e1ef453a03a29d0dccfac54493f7030d1c";
    static final String AMD64 = "sha256:36a3d2b61f24a9e7cd5e0c96dc451e83a9388d8a0078197cecc0d508a6db497c";

    @Test
    void copiesAWholeIndexBlobsFirstThenManifestsBottomUpKeepingTheIndexDigest() throws IOException {
        MemoryImages target = new MemoryImages();
        CopyReport report;
        try (OciLayout source = OciLayout.open(Fixtures.require("oci/busybox-multi"))) {
            report = ImageCopier.copy(source, Tag.parse("latest"), target, CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
            assertThat(target.manifests.get(Digest.parse(MULTI_INDEX)).content()).isEqualTo(source.manifest(Tag.parse("latest")).content());
        }
        assertThat(report.digest()).hasToString(MULTI_INDEX);
        assertThat(report.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(report.manifests()).hasSize(3).last().hasToString(MULTI_INDEX);
        assertThat(report.blobsCopied()).isEqualTo(4);
        assertThat(target.tags).containsEntry("latest", Digest.parse(MULTI_INDEX));
        List<String> kinds = target.events.stream().map(e -> e.substring(0, e.indexOf(' '))).toList();
        assertThat(kinds).containsExactly("blob", "blob", "blob", "blob", "manifest", "manifest", "root");
        assertThat(target.events).last().isEqualTo("root " + MULTI_INDEX + " latest");
    }

    @Test
    void copiesOnePlatformOfAnIndexUnderTheTag() throws IOException {
        MemoryImages target = new MemoryImages();
        try (OciLayout source = OciLayout.open(Fixtures.require("oci/busybox-multi"))) {
            CopyReport report = ImageCopier.copy(source, Tag.parse("latest"), target,
                    CopyOptions.defaults().withPlatforms(PlatformMatcher.parse("linux/amd64")).withTag(Tag.parse("amd")));
            assertThat(report.digest()).hasToString(AMD64);
            assertThat(report.manifests()).containsExactly(Digest.parse(AMD64));
            assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("latest"), new MemoryImages(),
                    CopyOptions.defaults().withPlatforms(PlatformMatcher.parse("linux/s390x"))))
                    .isInstanceOf(ImageNotFoundException.class)
                    .hasMessageContaining("linux/s390x").hasMessageContaining("linux/amd64, linux/arm64/v8");
        }
        assertThat(target.tags).containsOnly(java.util.Map.entry("amd", Digest.parse(AMD64)));
        assertThat(target.events).last().isEqualTo("root " + AMD64 + " amd");
    }

    @Test
    void followsNestedIndexes() throws IOException {
        MemoryImages source = new MemoryImages();
        Manifest image = image(source, "nested layer".getBytes(StandardCharsets.UTF_8));
        Manifest inner = source.addManifest(index(image, MediaTypes.OCI_MANIFEST, ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}"),
                MediaTypes.OCI_INDEX, null);
        Manifest outer = source.addManifest(index(inner, MediaTypes.OCI_INDEX, ""), MediaTypes.OCI_INDEX, "nested");

        MemoryImages whole = new MemoryImages();
        CopyReport all = ImageCopier.copy(source, Tag.parse("nested"), whole, CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
        assertThat(all.manifests()).containsExactly(image.digest(), inner.digest(), outer.digest());

        CopyReport one = ImageCopier.copy(source, Tag.parse("nested"), new MemoryImages(),
                CopyOptions.defaults().withPlatforms(PlatformMatcher.parse("linux/arm64/v8")));
        assertThat(one.digest()).isEqualTo(image.digest());
        assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("nested"), new MemoryImages(),
                CopyOptions.defaults().withPlatforms(PlatformMatcher.parse("linux/riscv64"))))
                .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("it has linux/arm64");
    }

    private static byte[] index(Manifest child, String mediaType, String platform) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"" + mediaType
                + "\",\"digest\":\"" + child.digest() + "\",\"size\":" + child.content().length + platform + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void copiesSignedSchema1ManifestsIntact() throws IOException {
        SkopeoDir source = new SkopeoDir(Fixtures.require("docker/busybox-v2s1"));
        MemoryImages target = new MemoryImages();
        CopyReport report = ImageCopier.copy(source, Tag.parse("latest"), target, CopyOptions.defaults());
        assertThat(report.digest()).hasToString("sha256:bde53dc2edf5897222b8867bf6799b54e57f75a9b1a54e2fca2eb1eba7880bb2");
        assertThat(report.mediaType()).isEqualTo(MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertThat(target.manifests.get(report.digest()).content()).isEqualTo(source.manifest(Tag.parse("latest")).content());
        assertThat(target.blobs).containsKey(Digest.parse("sha256:23acb00048caa8390528e08348ac404025ad473b281e6a9b2ba1d7be0306848c"));

        // by its payload digest too, as a registry names it
        MemoryImages again = new MemoryImages();
        ImageCopier.copy(target, report.digest(), again, CopyOptions.defaults());
        assertThat(again.manifests.get(report.digest()).content()).isEqualTo(target.manifests.get(report.digest()).content());
    }

    @Test
    void copiesDockerManifestListsWholeOrOnePlatform() throws IOException {
        SkopeoDir source = new SkopeoDir(Fixtures.require("docker/busybox-multi-v2list"));
        MemoryImages whole = new MemoryImages();
        CopyReport all = ImageCopier.copy(source, Tag.parse("latest"), whole, CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
        assertThat(all.digest()).hasToString("sha256:d884493bf889da1b0367b16f134264190b6d02c5edce68183cb14b28db35889c");
        assertThat(all.manifests()).hasSize(3);
        CopyReport arm = ImageCopier.copy(source, Tag.parse("latest"), new MemoryImages(),
                CopyOptions.defaults().withPlatforms(PlatformMatcher.parse("linux/arm64/v8")));
        assertThat(arm.digest()).hasToString("sha256:7f0575aff003a3e6dfc18fce325aea12b9aaa5506ffc6349b7db0583535a4756");
        assertThat(arm.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void skipsBlobsTheDestinationHasAndReportsProgress() throws IOException {
        MemoryImages source = new MemoryImages();
        byte[] big = new byte[1024 * 1024 + 17];
        new java.util.Random(1).nextBytes(big);
        Manifest manifest = image(source, big, "{\"small\":true}".getBytes(StandardCharsets.UTF_8));
        MemoryImages target = new MemoryImages();
        Digest config = manifest.blobs().get(0);
        target.blobs.put(config, source.blobs.get(config));
        List<BlobProgress> events = java.util.Collections.synchronizedList(new ArrayList<>());
        CopyReport report = ImageCopier.copy(source, Tag.parse("v1"), target, CopyOptions.defaults().withProgress(events::add));
        assertThat(report.blobsSkipped()).isEqualTo(1);
        assertThat(report.blobsCopied()).isEqualTo(2);
        assertThat(source.blobOpens).doesNotContainKey(config);
        assertThat(events).filteredOn(e -> e.digest().equals(config)).extracting(BlobProgress::phase)
                .containsExactly(BlobProgress.Phase.SKIPPED);
        List<BlobProgress> bigEvents = events.stream().filter(e -> e.digest().equals(Digest.sha256(big))).toList();
        assertThat(bigEvents.get(0).phase()).isEqualTo(BlobProgress.Phase.STARTED);
        assertThat(bigEvents).filteredOn(e -> e.phase() == BlobProgress.Phase.TRANSFERRING).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(e -> assertThat(e.size()).isEqualTo(big.length));
        assertThat(bigEvents).last().satisfies(e -> {
            assertThat(e.phase()).isEqualTo(BlobProgress.Phase.DONE);
            assertThat(e.transferred()).isEqualTo(big.length);
        });
    }

    @Test
    void copiesBlobsInParallelWithinTheBound() throws IOException {
        MemoryImages source = new MemoryImages();
        byte[][] layers = new byte[12][];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = ("layer " + i).getBytes(StandardCharsets.UTF_8);
        }
        image(source, layers);
        MemoryImages target = new MemoryImages();
        target.putDelayMillis = 40;
        ImageCopier.copy(source, Tag.parse("v1"), target, CopyOptions.defaults().withParallelism(3));
        assertThat(target.maxConcurrent.get()).isEqualTo(3);
        assertThat(target.blobs).hasSize(13);
    }

    @Test
    void refusesBlobsThatAreNotWhatTheManifestSays() throws IOException {
        MemoryImages source = new MemoryImages();
        Manifest manifest = image(source, "good layer".getBytes(StandardCharsets.UTF_8));
        Digest layer = manifest.blobs().get(1);
        source.blobs.put(layer, "evil layer".getBytes(StandardCharsets.UTF_8));
        MemoryImages target = new MemoryImages();
        assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("v1"), target, CopyOptions.defaults()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("digest mismatch");
        assertThat(target.blobs).doesNotContainKey(layer);
        assertThat(target.manifests).isEmpty();

        source.blobs.put(layer, "good layer, and more".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("v1"), new MemoryImages(), CopyOptions.defaults()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("manifest says");
    }

    @Test
    void refusesManifestsThatAreNotTheDigestAskedFor() throws IOException {
        MemoryImages source = new MemoryImages();
        Manifest manifest = image(source, "layer".getBytes(StandardCharsets.UTF_8));
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        source.manifests.put(other, manifest);
        assertThatThrownBy(() -> ImageCopier.copy(source, other, new MemoryImages(), CopyOptions.defaults()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining(other.toString());
    }

    @Test
    void leavesForeignLayersWhereTheyAre() throws IOException {
        MemoryImages source = new MemoryImages();
        Digest config = source.addBlob("{}".getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.DOCKER_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":2},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\"" + Digest.sha256(new byte[3])
                + "\",\"size\":3,\"urls\":[\"https://example.invalid/layer\"]}]}";
        source.addManifest(manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.DOCKER_MANIFEST, "win");
        MemoryImages target = new MemoryImages();
        CopyReport report = ImageCopier.copy(source, Tag.parse("win"), target, CopyOptions.defaults());
        assertThat(report.blobsCopied()).isEqualTo(1);
    }

    @Test
    void aDestinationMayOpenABlobAgainOrNotAtAll() throws IOException {
        MemoryImages source = new MemoryImages();
        Manifest manifest = image(source, "layer that is retried".getBytes(StandardCharsets.UTF_8));
        Digest layer = manifest.blobs().get(1);
        MemoryImages retrying = new MemoryImages() {
            @Override
            public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
                if (blob.digest().equals(layer)) {
                    try (InputStream first = content.open()) {
                        first.read(new byte[5]);
                    }
                }
                super.putBlob(blob, content);
            }
        };
        CopyReport report = ImageCopier.copy(source, Tag.parse("v1"), retrying, CopyOptions.defaults());
        assertThat(report.blobsCopied()).isEqualTo(2);
        assertThat(source.blobOpens.get(layer)).hasValue(2);
        assertThat(retrying.blobs.get(layer)).isEqualTo(source.blobs.get(layer));

        MemoryImages mounting = new MemoryImages() {
            @Override
            public void putBlob(BlobInfo blob, BlobOpener content) {
                events.add("mounted " + blob.digest());
            }
        };
        CopyReport mounted = ImageCopier.copy(source, Tag.parse("v1"), mounting, CopyOptions.defaults());
        assertThat(mounted.blobsSkipped()).isEqualTo(2);
        assertThat(mounted.bytesCopied()).isZero();

        MemoryImages lazy = new MemoryImages() {
            @Override
            public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
                content.open().read(new byte[3]);
            }
        };
        assertThatThrownBy(() -> ImageCopier.copy(source, Tag.parse("v1"), lazy, CopyOptions.defaults()))
                .isInstanceOf(IOException.class).hasMessageContaining("before the end");
    }

    /** A 64 MiB blob reaches the destination while the source is still producing it: nothing is buffered whole. */
    @Test
    void streamsBlobsWithoutHoldingThemInMemory() throws IOException {
        long size = 64L * 1024 * 1024;
        Digest digest = Generated.digest(size);
        AtomicLong producedWhenDestinationStarted = new AtomicLong(-1);
        Generated generated = new Generated(size);
        ImageSource source = new ImageSource() {
            @Override
            public Manifest manifest(Identifier identifier) {
                String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                        + MediaTypes.OCI_EMPTY + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "},\"layers\":[]}";
                return dev.berth.spec.manifest.Manifests.parse(json.getBytes(StandardCharsets.UTF_8), null);
            }

            @Override
            public BlobStream blob(Digest d) {
                return new BlobStream(generated, size);
            }
        };
        MemoryImages sink = new MemoryImages() {
            @Override
            public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
                try (InputStream in = content.open()) {
                    in.read(new byte[8192]);
                    producedWhenDestinationStarted.set(generated.produced);
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        };
        CopyReport report = ImageCopier.copy(source, Tag.parse("x"), sink, CopyOptions.defaults());
        assertThat(report.bytesCopied()).isEqualTo(size);
        assertThat(producedWhenDestinationStarted.get()).isBetween(1L, 1024L * 1024);
    }

    /** Pseudo-random bytes made on demand. */
    static final class Generated extends InputStream {
        private final long size;
        private final java.util.Random random = new java.util.Random(42);
        long produced;

        Generated(long size) {
            this.size = size;
        }

        static Digest digest(long size) throws IOException {
            MessageDigest sha = Digest.newSha256();
            try (Generated in = new Generated(size)) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return Digest.of(sha.digest());
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, 65536), size - produced);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            produced += n;
            return n;
        }
    }

    /** Puts an OCI image of these layers (the last argument doubles as the config when it looks like JSON) under tag v1. */
    static Manifest image(MemoryImages source, byte[]... layers) {
        Digest config = source.addBlob("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8));
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":"
                + source.blobs.get(config).length + "},\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            Digest layer = source.addBlob(layers[i]);
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
                    .append(layer).append("\",\"size\":").append(layers[i].length).append('}');
        }
        json.append("]}");
        return source.addManifest(json.toString().getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, "v1");
    }
}
