package dev.berth.client.image;

import dev.berth.spec.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * Hashes and counts what passes through, and fails the read that reaches the end when the content is
 * not {@code expected} (or not {@code expectedSize} bytes, when that is known). A consumer that stores
 * the bytes therefore sees an exception instead of end-of-stream and never commits bad content. Reading
 * more than {@code expectedSize} fails at once, so a lying source cannot stream forever.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long expectedSize;
    private final MessageDigest hasher;
    private final LongConsumer progress;
    private long count;
    private boolean verified;

    VerifyingInputStream(InputStream in, Digest expected, long expectedSize, LongConsumer progress) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = expected.newHasher();
        this.progress = progress;
    }

    VerifyingInputStream(InputStream in, Digest expected, long expectedSize) {
        this(in, expected, expectedSize, n -> { });
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        hasher.update(b, off, n);
        count += n;
        if (expectedSize >= 0 && count > expectedSize) {
            throw new InvalidImageException(expected + ": more than the expected " + expectedSize + " bytes");
        }
        progress.accept(count);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 1), 64 * 1024)];
        int read = read(buffer, 0, (int) Math.min(buffer.length, n));
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Checks, once the consumer is done, that it took the whole content and that it was right: the read
     * of end-of-stream did that already, or (when the size is known) all of it was read without that
     * last read. Needs no further reading, so it works on a stream the consumer closed.
     */
    void finish() throws IOException {
        if (verified) {
            return;
        }
        if (expectedSize < 0 || count != expectedSize) {
            throw new IOException(expected + ": the consumer stopped after " + count + " bytes, before the end");
        }
        verify();
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    private void verify() throws InvalidImageException {
        if (verified) {
            return;
        }
        if (expectedSize >= 0 && count != expectedSize) {
            throw new InvalidImageException(expected + ": got " + count + " bytes, expected " + expectedSize);
        }
        Digest actual = new Digest(expected.algorithm(), java.util.HexFormat.of().formatHex(hasher.digest()));
        if (!actual.equals(expected)) {
            throw new InvalidImageException("digest mismatch: expected " + expected + ", content is " + actual);
        }
        verified = true;
    }
}
