package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.image.LayerExtractor.LinkPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerExtractorTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;

    @BeforeEach
    void dirs() throws IOException {
        root = tmp.resolve("rootfs");
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "untouched");
    }

    @ParameterizedTest
    @EnumSource(LinkPolicy.class)
    void refusesPathsThatClimbOutOrAreAbsolute(LinkPolicy policy) throws IOException {
        assertRefused(policy, layer(w -> TarTest.file(w, "../outside/x", "pwned")), "climbs out");
        assertRefused(policy, layer(w -> TarTest.file(w, "a/../../outside/x", "pwned")), "climbs out");
        assertRefused(policy, layer(w -> TarTest.file(w, outside.resolve("x").toString(), "pwned")), "absolute path");
        assertRefused(policy, layer(w -> w.write(TarEntry.directory("../outside/d", 0755))), "climbs out");
        assertThat(outside.resolve("x")).doesNotExist();
        assertThat(outside.resolve("d")).doesNotExist();
    }

    /** The brief's case: a symlink to /etc, then a file through it. */
    @ParameterizedTest
    @EnumSource(LinkPolicy.class)
    void refusesWritingThroughASymlink(LinkPolicy policy) throws IOException {
        String probe = "berth-extract-test-" + ProcessHandle.current().pid();
        byte[] etc = layer(w -> {
            w.write(TarEntry.symlink("a", "/etc"));
            TarTest.file(w, "a/" + probe, "pwned");
        });
        byte[] dir = layer(w -> {
            w.write(TarEntry.symlink("b", outside.toString()));
            TarTest.file(w, "b/secret", "pwned");
        });
        if (policy == LinkPolicy.CONFINED) {
            assertRefused(policy, etc, "absolute path \"/etc\"");
            assertRefused(policy, dir, "absolute path");
        } else {
            assertRefused(policy, etc, "through the symbolic link \"a\"");
            assertRefused(policy, dir, "through the symbolic link \"b\"");
        }
        assertThat(Path.of("/etc", probe)).doesNotExist();
        assertThat(outside.resolve("secret")).hasContent("untouched");
    }

    @ParameterizedTest
    @EnumSource(LinkPolicy.class)
    void refusesHardlinksOutside(LinkPolicy policy) throws IOException {
        assertRefused(policy, layer(w -> w.write(TarEntry.hardlink("h", "../../x"))), "climbs out");
        assertRefused(policy, layer(w -> w.write(TarEntry.hardlink("h", outside.resolve("secret").toString()))), "absolute path");
        if (policy == LinkPolicy.ROOTFS) {
            assertRefused(policy, layer(w -> {
                w.write(TarEntry.symlink("l", outside.toString()));
                w.write(TarEntry.hardlink("h", "l/secret"));
            }), "through the symbolic link \"l\"");
        }
        assertThat(root.resolve("h")).doesNotExist();
        assertThat(Files.getAttribute(outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(LinkPolicy.class)
    void judgesRelativeSymlinkTargets(LinkPolicy policy) throws IOException {
        assertRefused(policy, layer(w -> w.write(TarEntry.symlink("up", "../outside"))), "climbs out");
        assertRefused(policy, layer(w -> w.write(TarEntry.symlink("d/up", "../../outside"))), "climbs out");
        assertRefused(policy, layer(w -> {
            w.write(TarEntry.symlink("b", "."));
            w.write(TarEntry.symlink("c", "b/../../outside"));
        }), "after a name");
        new LayerExtractor(root, policy).apply(new ByteArrayInputStream(layer(w -> {
            TarTest.file(w, "etc/file", "inside");
            w.write(TarEntry.symlink("usr/lib/ok", "../../etc/file"));
            w.write(TarEntry.symlink("here", "./etc/file"));
        })));
        assertThat(root.resolve("usr/lib/ok")).hasContent("inside");
        assertThat(root.resolve("here")).hasContent("inside");
    }

    @Test
    void rootfsKeepsAbsoluteLinksButNeverFollowsThem() throws IOException {
        LayerExtractor extractor = new LayerExtractor(root, LinkPolicy.ROOTFS);
        extractor.apply(new ByteArrayInputStream(layer(w -> w.write(TarEntry.symlink("s", outside.resolve("secret").toString())))));
        assertThat(Files.readSymbolicLink(root.resolve("s"))).isEqualTo(outside.resolve("secret"));
        extractor.apply(new ByteArrayInputStream(layer(w -> TarTest.file(w, "s", "replaced"))));
        assertThat(Files.isSymbolicLink(root.resolve("s"))).isFalse();
        assertThat(root.resolve("s")).hasContent("replaced");
        assertThat(outside.resolve("secret")).hasContent("untouched");
    }

    @Test
    void appliesWhiteoutsAndOpaqueDirectories() throws IOException {
        LayerExtractor extractor = new LayerExtractor(root, LinkPolicy.CONFINED);
        extractor.apply(new ByteArrayInputStream(layer(w -> {
            TarTest.file(w, "a/1", "1");
            TarTest.file(w, "a/2", "2");
            TarTest.file(w, "b/x", "x");
            TarTest.file(w, "b/sub/y", "y");
            TarTest.file(w, "c/z", "z");
            TarTest.file(w, "c/sub/old", "hidden by the opaque c");
            TarTest.file(w, "keep", "k");
        })));
        LayerExtractor.Report report = extractor.apply(new ByteArrayInputStream(layer(w -> {
            TarTest.file(w, "a/.wh.1", "");
            TarTest.file(w, "b/.wh..wh..opq", "");
            TarTest.file(w, "b/new", "n");
            TarTest.file(w, "c/sub/late", "l");
            TarTest.file(w, "c/.wh..wh..opq", "");
            TarTest.file(w, ".wh.missing", "");
        })));
        assertThat(report.whiteouts()).isEqualTo(4);
        assertThat(list(root)).containsExactly("a", "a/2", "b", "b/new", "c", "c/sub", "c/sub/late", "keep");
    }

    @Test
    void replacesWhatIsThereAndKeepsModesSafe() throws IOException {
        LayerExtractor extractor = new LayerExtractor(root, LinkPolicy.CONFINED);
        extractor.apply(new ByteArrayInputStream(DockerArchiveTest.gzip(layer(w -> {
            w.write(TarEntry.directory("ro", 0555));
            TarTest.file(w, "ro/file", "old");
            TarTest.file(w, "was-file", "f");
            TarTest.file(w, "was-dir/x", "x");
            w.write(new TarEntry("suid", TarEntry.Type.FILE, 0, 04755, 0, 0, 0, "", -1));
        }))));
        LayerExtractor.Report report = extractor.apply(new ByteArrayInputStream(layer(w -> {
            TarTest.file(w, "ro/file", "new");
            TarTest.file(w, "ro/added", "added");
            w.write(TarEntry.directory("was-file", 0750));
            TarTest.file(w, "was-dir", "now a file");
            w.write(new TarEntry("dev/null", TarEntry.Type.CHAR_DEVICE, 0, 0666, 0, 0, 0, "", -1));
            w.write(new TarEntry("fifo", TarEntry.Type.FIFO, 0, 0644, 0, 0, 0, "", -1));
        })));
        assertThat(root.resolve("ro/file")).hasContent("new");
        assertThat(root.resolve("ro/added")).hasContent("added");
        assertThat(Files.isDirectory(root.resolve("was-file"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(root.resolve("was-dir")).hasContent("now a file");
        assertThat(mode(root.resolve("ro"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(root.resolve("suid"))).isEqualTo("rwxr-xr-x");
        assertThat(Files.getAttribute(root.resolve("suid"), "unix:mode")).isEqualTo(0100755);
        assertThat(report.skipped()).containsExactly("dev/null", "fifo");
        assertThat(root.resolve("dev/null")).doesNotExist();
    }

    @Test
    void extractsTheBusyboxLayerConfined() throws IOException {
        Path blob = Fixtures.require("oci/busybox-amd64/blobs/sha256/23acb00048caa8390528e08348ac404025ad473b281e6a9b2ba1d7be0306848c");
        LayerExtractor.Report report;
        try (InputStream in = Files.newInputStream(blob)) {
            report = new LayerExtractor(root, LinkPolicy.CONFINED).apply(in);
        }
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).hasToString("busybox");
        assertThat(Files.isExecutable(root.resolve("bin/busybox"))).isTrue();
        assertThat(root.resolve("etc/testkit-release")).hasContent("registry-testkit busybox amd64");
        assertThat(mode(root.resolve("tmp"))).isEqualTo("rwxrwxrwx");
        assertThat(report.symlinks()).isGreaterThan(100);
    }

    @Test
    void extractsDebianAsARootfsButNotConfined() throws IOException {
        Path layout = Fixtures.require("oci/debian");
        Path blob;
        try (OciLayout debian = OciLayout.open(layout)) {
            var manifest = (dev.berth.spec.manifest.ImageManifest) debian.manifest(dev.berth.spec.Tag.parse("bookworm"));
            blob = layout.resolve(OciLayoutReader.blobPath(manifest.layers().get(0).digest()));
        }
        LayerExtractor.Report report;
        try (InputStream in = Files.newInputStream(blob)) {
            report = new LayerExtractor(root, LinkPolicy.ROOTFS).apply(in);
        }
        assertThat(report.hardlinks()).isGreaterThan(0);
        assertThat(Files.readSymbolicLink(root.resolve("etc/alternatives/awk"))).hasToString("/usr/bin/mawk");
        assertThat(root.resolve("usr/bin/uncompress")).hasSameBinaryContentAs(root.resolve("usr/bin/gunzip"));
        try (InputStream in = Files.newInputStream(blob)) {
            assertThatThrownBy(() -> new LayerExtractor(tmp.resolve("confined"), LinkPolicy.CONFINED).apply(in))
                    .isInstanceOf(UnsafeEntryException.class).hasMessageContaining("LinkPolicy.ROOTFS");
        }
    }

    @Test
    void refusesZstdLayers() {
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        assertThatThrownBy(() -> new LayerExtractor(root, LinkPolicy.CONFINED).apply(new ByteArrayInputStream(zstd)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("zstd");
    }

    private void assertRefused(LinkPolicy policy, byte[] layer, String reason) throws IOException {
        assertThatThrownBy(() -> new LayerExtractor(root, policy).apply(new ByteArrayInputStream(layer)))
                .isInstanceOf(UnsafeEntryException.class).hasMessageContaining(reason);
    }

    private static byte[] layer(TarTest.Writes writes) throws IOException {
        return TarTest.tar(writes);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static java.util.List<String> list(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
