package dev.berth.client.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;

/**
 * A request body. Every kind says whether it can be sent again, which decides whether a 401, a 429 or a
 * broken connection may be answered by resending the request.
 */
public sealed interface Body {
    Body NONE = new None();

    /** What the JDK client sends. A stream of known length goes out with {@code Content-Length}, not chunked. */
    BodyPublisher publisher();

    /** Whether {@link #publisher()} may be called again to resend the same bytes. */
    boolean replayable();

    /** The body's length, or -1 when unknown. */
    long length();

    /** Opens a fresh stream of the content; used by {@link Stream} bodies. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    record None() implements Body {
        @Override
        public BodyPublisher publisher() {
            return BodyPublishers.noBody();
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public long length() {
            return 0;
        }
    }

    /** A small body held in memory: a manifest, a token form. */
    record Bytes(byte[] content) implements Body {
        @Override
        public BodyPublisher publisher() {
            return BodyPublishers.ofByteArray(content);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public long length() {
            return content.length;
        }
    }

    /**
     * A streamed body, opened only when it is sent; never held in memory.
     *
     * @param replayable whether {@code opener} yields the same bytes when called again
     */
    record Stream(Opener opener, long length, boolean replayable) implements Body {
        @Override
        public BodyPublisher publisher() {
            BodyPublisher stream = BodyPublishers.ofInputStream(() -> {
                try {
                    return opener.open();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return length >= 0 ? BodyPublishers.fromPublisher(stream, length) : stream;
        }
    }
}
