package dev.berth.spec;

/**
 * A protocol error: one {@link ErrorCode}, its message and an optional detail, rendered as
 * {@code {"errors":[{"code","message","detail"}]}}. The status comes from the code.
 *
 * <p>One class rather than a family of exception types: each would map to exactly one code, and the
 * code already says everything the renderer needs.
 */
public final class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final transient Object detail;

    public RegistryException(ErrorCode code, String message, Object detail) {
        super(message, null, false, false);
        this.code = code;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    /** JSON-serialisable detail, or {@code null}. */
    public Object detail() {
        return detail;
    }
}
