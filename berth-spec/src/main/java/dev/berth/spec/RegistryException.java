package dev.berth.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A protocol error: one {@link ErrorCode}, its message, an optional detail, and the response headers
 * that belong to it ({@code WWW-Authenticate} on a 401, {@code Retry-After} on a 429), rendered as
 * {@code {"errors":[{"code","message","detail"}]}}. The status comes from the code.
 *
 * <p>One class rather than a family of exception types: each would map to exactly one code, and the
 * code already says everything the renderer needs.
 */
public final class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final transient Object detail;
    private final Map<String, String> headers;

    public RegistryException(ErrorCode code, String message, Object detail) {
        this(code, message, detail, Map.of());
    }

    private RegistryException(ErrorCode code, String message, Object detail, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.detail = detail;
        this.headers = headers;
    }

    public ErrorCode code() {
        return code;
    }

    /** JSON-serialisable detail, or {@code null}. */
    public Object detail() {
        return detail;
    }

    /** Headers the error response must carry. */
    public Map<String, String> headers() {
        return headers;
    }

    /** This error with one more response header. */
    public RegistryException withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new RegistryException(code, getMessage(), detail, Map.copyOf(more));
    }
}
