package dev.berth.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Uploads keep every byte in order whichever way they are written: with {@code O_DIRECT} (staged,
 * aligned, the partial last block through the page cache) or through the page cache alone, over
 * requests that stop at any offset, with failed appends cut back and reads in between.
 */
class FileBlobStoreTest {
    @TempDir
    Path root;

    @Test
    void uploadsBypassThePageCacheWhereTheFilesystemAllows() throws IOException {
        String type = Files.getFileStore(root).type();
        assumeTrue(List.of("ext4", "xfs", "btrfs").contains(type), "O_DIRECT expected only on ext4, xfs, btrfs; " + type + " here");
        assertThat(new FileBlobStore(root).writesDirect()).isTrue();
        assertThat(new FileBlobStore(root.resolve("other"), false).writesDirect()).isFalse();
    }

    @ParameterizedTest(name = "direct writes {0}")
    @ValueSource(booleans = {true, false})
    void requestsStoppingAnywhereWithFailedAppendsAndReadsBetweenKeepTheBytes(boolean direct) throws IOException {
        FileBlobStore store = new FileBlobStore(root, direct);
        Random random = new Random(42);
        byte[] content = new byte[7 * 1024 * 1024 + 4321];
        random.nextBytes(content);
        int size = 0;
        int requests = 0;
        while (size < content.length) {
            requests++;
            try (UploadWriter writer = store.upload("u1")) {
                assertThat(writer.size()).isEqualTo(size);
                int end = Math.min(content.length, size + 1 + random.nextInt(1536 * 1024));
                while (size < end) {
                    int n = Math.min(end - size, 1 + random.nextInt(70_000));
                    writer.write(buffer(content, size, n, random.nextBoolean()));
                    size += n;
                    assertThat(writer.size()).isEqualTo(size);
                }
                if (random.nextInt(3) == 0) {
                    byte[] garbage = new byte[1 + random.nextInt(2 * 1024 * 1024)];
                    random.nextBytes(garbage);
                    writer.write(ByteBuffer.wrap(garbage));
                    writer.truncate(size);
                    assertThat(writer.size()).isEqualTo(size);
                }
                if (random.nextInt(4) == 0) {
                    writer.flush();
                    assertThat(read(store, "u1")).isEqualTo(Arrays.copyOf(content, size));
                }
            }
            assertThat(read(store, "u1")).isEqualTo(Arrays.copyOf(content, size));
        }
        assertThat(requests).isGreaterThan(5);

        Digest digest = Digest.of(Digest.newSha256().digest(content));
        try (UploadWriter writer = store.upload("u1")) {
            writer.commit(digest);
        }
        assertThat(store.read(digest)).isEqualTo(content);
        assertThat(store.readUpload("u1").readAllBytes()).isEmpty();
    }

    @ParameterizedTest(name = "direct writes {0}")
    @ValueSource(booleans = {true, false})
    void aCommitInTheRequestThatWroteKeepsWhatIsStillStaged(boolean direct) throws IOException {
        FileBlobStore store = new FileBlobStore(root, direct);
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        Digest digest = Digest.of(Digest.newSha256().digest(content));
        try (UploadWriter writer = store.upload("u2")) {
            writer.write(ByteBuffer.wrap(content));
            writer.commit(digest);
        }
        assertThat(store.read(digest)).isEqualTo(content);
    }

    @Test
    void moreUploadsAtOnceThanStagingBuffersAllKeepTheirBytes() throws IOException {
        FileBlobStore store = new FileBlobStore(root);
        Random random = new Random(3);
        List<byte[]> contents = new ArrayList<>();
        List<UploadWriter> writers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] content = new byte[2 * 1024 * 1024 + random.nextInt(5000)];
            random.nextBytes(content);
            contents.add(content);
            writers.add(store.upload("many-" + i));
        }
        for (int offset = 0; offset < 3 * 1024 * 1024; offset += 100_000) {
            for (int i = 0; i < writers.size(); i++) {
                byte[] content = contents.get(i);
                if (offset < content.length) {
                    writers.get(i).write(buffer(content, offset, Math.min(100_000, content.length - offset), i % 2 == 0));
                }
            }
        }
        for (int i = 0; i < writers.size(); i++) {
            Digest digest = Digest.of(Digest.newSha256().digest(contents.get(i)));
            try (UploadWriter writer = writers.get(i)) {
                writer.commit(digest);
            }
            assertThat(store.read(digest)).isEqualTo(contents.get(i));
        }
    }

    private static ByteBuffer buffer(byte[] content, int offset, int length, boolean offHeap) {
        if (!offHeap) {
            return ByteBuffer.wrap(content, offset, length);
        }
        return ByteBuffer.allocateDirect(length).put(content, offset, length).flip();
    }

    private static byte[] read(FileBlobStore store, String upload) throws IOException {
        try (InputStream in = store.readUpload(upload)) {
            return in.readAllBytes();
        }
    }
}
