package dev.berth.server.storage;

import dev.berth.spec.Digest;
import java.nio.ByteBuffer;

/**
 * Appends to an upload. Not thread-safe: one request writes to an upload at a time. {@link #close}
 * releases the handle and keeps what was written, so a later request can resume.
 */
public interface UploadWriter extends AutoCloseable {

    /** Bytes the upload holds. */
    long size();

    /** Appends all of {@code data}. */
    void write(ByteBuffer data);

    /**
     * Makes every byte appended so far readable through {@link BlobStore#readUpload}; closing the writer
     * does too.
     */
    void flush();

    /** Cuts the upload back to {@code size} bytes, undoing a failed append. */
    void truncate(long size);

    /**
     * Makes the upload durable and moves it, atomically, under {@code digest}. The caller has verified
     * the digest. If the blob is already there, the upload is dropped instead.
     */
    void commit(Digest digest);

    @Override
    void close();
}
