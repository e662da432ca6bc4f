package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheSkopeoArchiveOfTheDebianLayout() throws IOException {
        Path archive = Fixtures.require("archives/debian.oci.tar");
        Path layout = Fixtures.require("oci/debian");
        try (OciArchive source = OciArchive.open(archive); OciLayout copy = OciLayout.create(tmp.resolve("copy"))) {
            assertThat(source.find("bookworm")).isPresent();
            ImageCopier.copy(source, Tag.parse("bookworm"), copy, CopyOptions.defaults());
        }
        Layouts.assertSame(layout, tmp.resolve("copy"));
    }

    @Test
    void writesAnArchiveThatReadsBackAndThatSkopeoReads() throws Exception {
        Path fixture = Fixtures.require("oci/busybox-multi");
        Path file = tmp.resolve("out/multi.oci.tar");
        try (OciLayout source = OciLayout.open(fixture); ImageDestination archive = OciArchive.create(file)) {
            ImageCopier.copy(source, Tag.parse("latest"), archive, CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
            archive.commit();
        }
        assertThat(siblings(file)).containsExactly("multi.oci.tar");
        try (OciArchive archive = OciArchive.open(file); OciLayout copy = OciLayout.create(tmp.resolve("back"))) {
            ImageCopier.copy(archive, Tag.parse("latest"), copy, CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
        }
        Layouts.assertSame(fixture, tmp.resolve("back"));

        if (Fixtures.hasCommand("tar")) {
            assertThat(Fixtures.run("tar", "-tf", file.toString()).lines())
                    .startsWith("oci-layout", "index.json", "blobs/", "blobs/sha256/").hasSize(4 + 7);
        }
        if (Fixtures.hasCommand("skopeo")) {
            Fixtures.run("skopeo", "--insecure-policy", "copy", "-q", "--all", "oci-archive:" + file + ":latest",
                    "oci:" + tmp.resolve("skopeo") + ":latest");
            Layouts.assertSame(fixture, tmp.resolve("skopeo"));
        }
    }

    @Test
    void readsGzipCompressedArchives() throws IOException {
        Path file = tmp.resolve("plain.tar");
        try (OciLayout source = OciLayout.open(Fixtures.require("oci/busybox-amd64")); ImageDestination archive = OciArchive.create(file)) {
            ImageCopier.copy(source, Tag.parse("latest"), archive, CopyOptions.defaults());
            archive.commit();
        }
        Path gz = tmp.resolve("compressed.tar.gz");
        try (InputStream in = Files.newInputStream(file); OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            in.transferTo(out);
        }
        try (OciArchive archive = OciArchive.open(gz); OciLayout copy = OciLayout.create(tmp.resolve("copy"))) {
            ImageCopier.copy(archive, Tag.parse("latest"), copy, CopyOptions.defaults());
        }
        Layouts.assertSame(Fixtures.require("oci/busybox-amd64"), tmp.resolve("copy"));
    }

    @Test
    void closingWithoutCommitLeavesNothingBehind() throws IOException {
        Path file = tmp.resolve("out/never.tar");
        try (OciLayout source = OciLayout.open(Fixtures.require("oci/busybox-amd64")); ImageDestination archive = OciArchive.create(file)) {
            ImageCopier.copy(source, Tag.parse("latest"), archive, CopyOptions.defaults());
        }
        assertThat(siblings(file)).isEmpty();
    }

    private static java.util.List<String> siblings(Path file) throws IOException {
        try (Stream<Path> list = Files.list(file.getParent())) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
