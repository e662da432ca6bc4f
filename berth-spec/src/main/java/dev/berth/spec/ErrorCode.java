package dev.berth.spec;

/**
 * Every error a registry answers with: the code that goes into {@code {"errors":[{"code":…}]}}, the
 * HTTP status that goes with it and the standard message. The status belongs to the code, never to the
 * place that raises it. The table is CNCF distribution's ({@code registry/api/errcode} and
 * {@code registry/api/v2/errors.go}), which the OCI distribution-spec adopts, plus
 * {@link #MANIFEST_TOO_BIG}.
 */
public enum ErrorCode {
    UNKNOWN(500, "unknown error"),
    UNSUPPORTED(405, "The operation is unsupported."),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNAVAILABLE(503, "service unavailable"),
    TOOMANYREQUESTS(429, "too many requests"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    SIZE_INVALID(400, "provided length did not match content length"),
    RANGE_INVALID(416, "invalid content range"),
    NAME_INVALID(400, "invalid repository name"),
    TAG_INVALID(400, "manifest tag did not match URI"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    MANIFEST_UNKNOWN(404, "manifest unknown"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNVERIFIED(400, "manifest failed signature verification"),
    MANIFEST_BLOB_UNKNOWN(400, "blob unknown to registry"),
    /** Not in distribution's table: a manifest over the size limit (the spec asks for 413). */
    MANIFEST_TOO_BIG(413, "manifest too big"),
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested");

    private final int httpStatus;
    private final String message;

    ErrorCode(int httpStatus, String message) {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String message() {
        return message;
    }

    /** Raises this error with a detail (any JSON-serialisable value, or {@code null}). */
    public RegistryException exception(Object detail) {
        return new RegistryException(this, message, detail);
    }

    public RegistryException exception() {
        return exception(null);
    }
}
