package dev.berth.client.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A response whose body is still a stream: blobs are never buffered. Whoever receives a response owns
 * it and must {@link #close()} it (or read it to the end); an interceptor that replaces a response
 * closes the one it drops.
 */
public record Response(Request request, int status, HttpHeaders headers, InputStream body) implements Closeable {

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    /**
     * Reads the whole body, which must be small: more than {@code limit} bytes is an {@link IOException},
     * so a hostile server cannot make the client allocate without bound.
     */
    public byte[] bytes(int limit) throws IOException {
        try (InputStream in = body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > limit) {
                    throw new IOException("response body of " + request.method() + " " + request.uri()
                            + " exceeds " + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** Reads at most {@code limit} bytes for an error message and drops the rest; never throws. */
    public byte[] prefix(int limit) {
        try (InputStream in = body) {
            return in.readNBytes(limit);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }
}
