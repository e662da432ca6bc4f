package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarTest {
    static final String LONG_150 = "dir-" + "a".repeat(60) + "/" + "b".repeat(85);
    static final String LONG_300 = "x".repeat(120) + "/" + "y".repeat(120) + "/" + "z".repeat(58);
    static final String UNICODE = "étiquette/日本語.txt";

    @TempDir
    Path tmp;

    @Test
    void roundTripsEveryKindOfName() throws IOException {
        byte[] tar = tar(w -> {
            w.write(TarEntry.directory("dir", 0755).withMtime(1716163200));
            file(w, "dir/short.txt", "hello");
            file(w, LONG_150, "prefix split");
            file(w, LONG_300, "pax path");
            file(w, UNICODE, "utf-8 name");
            w.write(TarEntry.symlink("link", "x".repeat(150)));
            w.write(TarEntry.hardlink("hard", "dir/short.txt"));
            file(w, "empty", "");
        });
        Map<String, TarEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        read(tar, entries, contents);
        assertThat(entries.keySet()).containsExactly("dir/", "dir/short.txt", LONG_150, LONG_300, UNICODE, "link", "hard", "empty");
        assertThat(entries.get("dir/").type()).isEqualTo(TarEntry.Type.DIRECTORY);
        assertThat(entries.get("dir/").mtime()).isEqualTo(1716163200);
        assertThat(entries.get("dir/").mode()).isEqualTo(0755);
        assertThat(contents).containsEntry("dir/short.txt", "hello").containsEntry(LONG_150, "prefix split")
                .containsEntry(LONG_300, "pax path").containsEntry(UNICODE, "utf-8 name").containsEntry("empty", "");
        assertThat(entries.get("link").linkName()).isEqualTo("x".repeat(150));
        assertThat(entries.get("hard").type()).isEqualTo(TarEntry.Type.HARDLINK);
        assertThat(entries.get("hard").linkName()).isEqualTo("dir/short.txt");
    }

    @Test
    void recordsWhereEachMembersDataStarts() throws IOException {
        byte[] tar = tar(w -> {
            file(w, "a", "first");
            file(w, LONG_300, "second");
        });
        try (TarReader reader = new TarReader(new ByteArrayInputStream(tar))) {
            for (TarEntry entry; (entry = reader.next()) != null; ) {
                String atOffset = new String(tar, (int) entry.dataOffset(), (int) entry.size(), StandardCharsets.UTF_8);
                assertThat(atOffset).isEqualTo(entry.name().equals("a") ? "first" : "second");
            }
        }
    }

    @Test
    void readsWhatGnuTarWritesInEveryFormat() throws Exception {
        Fixtures.requireCommand("tar");
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve(LONG_300.substring(0, LONG_300.lastIndexOf('/'))));
        Files.writeString(src.resolve(LONG_300), "deep");
        Files.createDirectories(src.resolve("étiquette"));
        Files.writeString(src.resolve(UNICODE), "unicode");
        Files.createSymbolicLink(src.resolve("link"), Path.of("y".repeat(130)));
        for (String format : List.of("gnu", "pax", "ustar")) {
            Path archive = tmp.resolve(format + ".tar");
            List<String> members = format.equals("ustar") ? List.of("link") : List.of(LONG_300, UNICODE, "link");
            List<String> command = new ArrayList<>(List.of("tar", "--format=" + format, "-C", src.toString(), "-cf", archive.toString()));
            command.addAll(members);
            if (format.equals("ustar")) {
                // ustar cannot hold a 130-byte link target: expect tar to refuse, and test a short one instead
                Files.delete(src.resolve("link"));
                Files.createSymbolicLink(src.resolve("link"), Path.of("target"));
            }
            Fixtures.run(command.toArray(String[]::new));
            Map<String, TarEntry> entries = new LinkedHashMap<>();
            Map<String, String> contents = new LinkedHashMap<>();
            read(Files.readAllBytes(archive), entries, contents);
            if (!format.equals("ustar")) {
                assertThat(contents).as(format).containsEntry(LONG_300, "deep").containsEntry(UNICODE, "unicode");
                assertThat(entries.get("link").linkName()).as(format).isEqualTo("y".repeat(130));
            } else {
                assertThat(entries.get("link").linkName()).isEqualTo("target");
            }
        }
    }

    @Test
    void gnuTarReadsWhatWeWrite() throws Exception {
        Fixtures.requireCommand("tar");
        Path archive = tmp.resolve("ours.tar");
        Files.write(archive, tar(w -> {
            w.write(TarEntry.directory("d", 0700));
            file(w, LONG_150, "one");
            file(w, LONG_300, "two");
            file(w, UNICODE, "three");
            w.write(TarEntry.symlink("s", "t".repeat(200)));
        }));
        String listing = Fixtures.run("tar", "-tf", archive.toString());
        assertThat(listing.lines()).containsExactly("d/", LONG_150, LONG_300, UNICODE, "s");
        Path out = Files.createDirectory(tmp.resolve("out"));
        Fixtures.run("tar", "-C", out.toString(), "-xf", archive.toString());
        assertThat(Files.readString(out.resolve(LONG_300))).isEqualTo("two");
        assertThat(Files.readSymbolicLink(out.resolve("s")).toString()).isEqualTo("t".repeat(200));
    }

    @Test
    void readsBase256Sizes() throws IOException {
        byte[] tar = tar(w -> file(w, "big", "0123456789"));
        // rewrite the size field as a GNU base-256 number, and fix the checksum
        byte[] size = new byte[12];
        size[0] = (byte) 0x80;
        size[11] = 10;
        System.arraycopy(size, 0, tar, 124, 12);
        fixChecksum(tar);
        Map<String, String> contents = new LinkedHashMap<>();
        read(tar, new LinkedHashMap<>(), contents);
        assertThat(contents).containsEntry("big", "0123456789");
    }

    @Test
    void refusesCorruptTruncatedAndSparseArchives() throws IOException {
        byte[] tar = tar(w -> file(w, "a", "content"));
        byte[] corrupt = tar.clone();
        corrupt[0] = 'b';
        assertThatThrownBy(() -> read(corrupt, new LinkedHashMap<>(), new LinkedHashMap<>()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("checksum");
        byte[] truncated = java.util.Arrays.copyOf(tar, 512 + 3);
        assertThatThrownBy(() -> read(truncated, new LinkedHashMap<>(), new LinkedHashMap<>())).isInstanceOf(EOFException.class);
        byte[] sparse = tar.clone();
        sparse[156] = 'S';
        fixChecksum(sparse);
        assertThatThrownBy(() -> read(sparse, new LinkedHashMap<>(), new LinkedHashMap<>()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("sparse");
        assertThatThrownBy(() -> read("not a tar at all".repeat(40).getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>(), new LinkedHashMap<>()))
                .isInstanceOf(InvalidImageException.class);
    }

    @Test
    void capsExtendedHeaders() throws IOException {
        byte[] tar = tar(w -> file(w, "a", "x"));
        tar[156] = 'L';
        String octal = String.format("%011o", 2 * 1024 * 1024);
        System.arraycopy(octal.getBytes(StandardCharsets.US_ASCII), 0, tar, 124, 11);
        fixChecksum(tar);
        assertThatThrownBy(() -> read(tar, new LinkedHashMap<>(), new LinkedHashMap<>()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("exceeds");
    }

    interface Writes {
        void to(TarWriter writer) throws IOException;
    }

    static byte[] tar(Writes writes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(out)) {
            writes.to(writer);
        }
        return out.toByteArray();
    }

    static void file(TarWriter writer, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        writer.write(TarEntry.file(name, bytes.length, 0644), new ByteArrayInputStream(bytes));
    }

    static void read(byte[] tar, Map<String, TarEntry> entries, Map<String, String> contents) throws IOException {
        try (TarReader reader = new TarReader(new ByteArrayInputStream(tar))) {
            for (TarEntry entry; (entry = reader.next()) != null; ) {
                entries.put(entry.name(), entry);
                if (entry.type() == TarEntry.Type.FILE) {
                    contents.put(entry.name(), new String(reader.content().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    static void fixChecksum(byte[] tar) {
        for (int i = 148; i < 156; i++) {
            tar[i] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += tar[i] & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, tar, 148, 8);
    }
}
