package dev.berth.client;

import dev.berth.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A blob to push, never held in memory: its digest and size, and a way to open its content, which
 * may be called more than once (a retry or a chunk opens it again). The registry checks the digest.
 *
 * <pre>{@code
 * client.pushBlob(repo, BlobSource.of(Path.of("layer.tar.gz")));                 // digest computed, streaming
 * client.pushBlob(repo, BlobSource.of(digest, size, () -> storage.open(digest))); // known digest
 * }</pre>
 */
public record BlobSource(Digest digest, long size, Opener opener) {

    /** Opens the blob's content from the start; each call gives a fresh stream. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    public BlobSource {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(opener, "opener");
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
    }

    public static BlobSource of(Digest digest, long size, Opener opener) {
        return new BlobSource(digest, size, opener);
    }

    /** A file whose digest is known. */
    public static BlobSource of(Path file, Digest digest) {
        try {
            return new BlobSource(digest, Files.size(file), () -> Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file; its sha256 is computed by reading it once. */
    public static BlobSource of(Path file) {
        MessageDigest sha256 = Digest.newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(file, Digest.of(sha256.digest()));
    }

    /** Small content already in memory, such as an image config; not copied. */
    public static BlobSource of(byte[] content) {
        return new BlobSource(Digest.sha256(content), content.length, () -> new ByteArrayInputStream(content));
    }

    /** Opens the content and skips to {@code offset}. */
    public InputStream openAt(long offset) throws IOException {
        InputStream in = opener.open();
        try {
            in.skipNBytes(offset);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
