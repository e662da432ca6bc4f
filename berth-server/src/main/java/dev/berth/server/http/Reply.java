package dev.berth.server.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: status, headers and a body, as a value. Handlers compute replies off the
 * event loop; {@link Responder} writes them. For a HEAD request the body is left out but its length
 * still goes into {@code Content-Length}.
 */
public record Reply(int status, Map<String, String> headers, Body body) {

    public sealed interface Body {
        long length();
    }

    public record Empty() implements Body {
        @Override
        public long length() {
            return 0;
        }
    }

    public record Bytes(byte[] content) implements Body {
        @Override
        public long length() {
            return content.length;
        }
    }

    /** A region of a local file, sent with {@code sendfile(2)}. */
    public record FileRegion(Path path, long offset, long length) implements Body {
    }

    /** This reply with more headers, which replace same-named ones. */
    public Reply withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new Reply(status, all, body);
    }

    public static Builder status(int status) {
        return new Builder(status);
    }

    /** Builds a reply; header names are kept as given, one value each. */
    public static final class Builder {
        private final int status;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, Object value) {
            headers.put(name, String.valueOf(value));
            return this;
        }

        public Reply empty() {
            return new Reply(status, headers, new Empty());
        }

        public Reply bytes(String contentType, byte[] content) {
            headers.put("Content-Type", contentType);
            return new Reply(status, headers, new Bytes(content));
        }

        public Reply json(byte[] json) {
            return bytes("application/json", json);
        }

        public Reply text(String text) {
            return bytes("text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        public Reply file(Path path, long offset, long length) {
            return new Reply(status, headers, new FileRegion(path, offset, length));
        }
    }
}
