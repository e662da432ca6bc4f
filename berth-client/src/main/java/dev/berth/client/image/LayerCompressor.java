package dev.berth.client.image;

import dev.berth.spec.Digest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Converts layers between the two forms images use: uncompressed tars, whose digests are a config's
 * {@code rootfs.diff_ids} (docker-archive), and gzip-compressed blobs (registries, OCI layouts). Always
 * streams: the output goes to a file, both digests are computed on the way.
 */
final class LayerCompressor {
    private static final int BUFFER = 64 * 1024;

    /** A layer's two digests, and where its compressed (or, for {@link #decompress}, uncompressed) form is. */
    record Layer(Digest diffId, Digest compressed, long size, Path file) {
    }

    private LayerCompressor() {
    }

    /**
     * Reads a layer from a docker-archive. A plain tar is gzip-compressed into a new file in
     * {@code directory}; a layer already gzip-compressed is only hashed, and {@code file} is {@code null}:
     * the archive member itself is the blob.
     */
    static Layer compress(InputStream layer, Path directory) throws IOException {
        BufferedInputStream in = new BufferedInputStream(layer, BUFFER);
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        MessageDigest raw = Digest.newSha256();
        MessageDigest uncompressed = Digest.newSha256();
        switch (Compression.of(head, head.length)) {
            case ZSTD -> throw new InvalidImageException("zstd-compressed layers are not supported");
            case GZIP -> {
                CountingInputStream counted = new CountingInputStream(new DigestInputStream(in, raw));
                try (InputStream gunzip = new GZIPInputStream(counted, BUFFER)) {
                    drain(new DigestInputStream(gunzip, uncompressed));
                    drain(counted);
                }
                return new Layer(Digest.of(uncompressed.digest()), Digest.of(raw.digest()), counted.count, null);
            }
            case NONE -> {
                Path file = Files.createTempFile(directory, "layer-", ".tar.gz");
                try (OutputStream out = new GZIPOutputStream(new DigestOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(file), BUFFER), raw), BUFFER)) {
                    new DigestInputStream(in, uncompressed).transferTo(out);
                } catch (IOException e) {
                    Files.deleteIfExists(file);
                    throw e;
                }
                return new Layer(Digest.of(uncompressed.digest()), Digest.of(raw.digest()), Files.size(file), file);
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Writes a layer blob uncompressed into a new file in {@code directory}, as docker-archive holds
     * it. {@code compressed} is the blob's digest as computed while reading; {@code size} the
     * uncompressed size.
     */
    static Layer decompress(InputStream blob, Path directory) throws IOException {
        MessageDigest raw = Digest.newSha256();
        MessageDigest uncompressed = Digest.newSha256();
        Path file = Files.createTempFile(directory, "layer-", ".tar");
        DigestInputStream hashed = new DigestInputStream(new BufferedInputStream(blob, BUFFER), raw);
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER),
                uncompressed)) {
            Compression.decompressed(hashed).transferTo(out);
            drain(hashed);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Layer(Digest.of(uncompressed.digest()), Digest.of(raw.digest()), Files.size(file), file);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[BUFFER];
        while (in.read(buffer) >= 0) {
            // reading is what hashes
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        /** Skipping reads, so that what is skipped is hashed too. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(Math.max(n, 1), BUFFER)];
            return Math.max(read(buffer, 0, (int) Math.min(buffer.length, n)), 0);
        }
    }
}
