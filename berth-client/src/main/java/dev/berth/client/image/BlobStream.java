package dev.berth.client.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An open blob: its content as a stream and its size in bytes ({@code -1} when the source cannot tell
 * before reading it all). The stream is not verified: {@link ImageCopier} checks the digest as it
 * copies. Close it when done.
 */
public record BlobStream(InputStream content, long size) implements Closeable {

    public BlobStream {
        Objects.requireNonNull(content, "content");
        if (size < -1) {
            throw new IllegalArgumentException("size: " + size);
        }
    }

    @Override
    public void close() throws IOException {
        content.close();
    }
}
