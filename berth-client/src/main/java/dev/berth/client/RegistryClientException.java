package dev.berth.client;

import dev.berth.spec.ErrorCode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Everything that can go wrong in a {@link RegistryClient} call, with a one-line message fit for a
 * terminal: {@code GET https://registry-1.docker.io/v2/library/nope/manifests/latest: 401
 * UNAUTHORIZED: authentication required}. A {@code TOOMANYREQUESTS} carries the time the limit
 * resets, from {@code Retry-After} or the {@code ratelimit-reset} headers.
 *
 * <pre>{@code
 * try {
 *     client.fetchManifest(ref);
 * } catch (RegistryClientException e) {
 *     if (e.is(ErrorCode.MANIFEST_UNKNOWN)) { … }
 *     System.err.println("berth: " + e.getMessage());
 * }
 * }</pre>
 */
public final class RegistryClientException extends RuntimeException {
    private final int status;
    private final String errorCode;
    private final Instant retryAt;

    /**
     * @param status the HTTP status, or 0 when the failure was not an HTTP answer (I/O, a digest that
     *     does not match, a refused realm)
     * @param errorCode the registry's error code ({@code MANIFEST_UNKNOWN}), or {@code null}
     * @param retryAt when a rate limit resets, or {@code null}
     */
    public RegistryClientException(int status, String errorCode, String message, Instant retryAt, Throwable cause) {
        super(oneLine(message), cause);
        this.status = status;
        this.errorCode = errorCode;
        this.retryAt = retryAt;
    }

    public RegistryClientException(String message, Throwable cause) {
        this(0, null, message, null, cause);
    }

    public RegistryClientException(String message) {
        this(0, null, message, null, null);
    }

    /** The HTTP status, or 0 when there was no HTTP answer to blame. */
    public int status() {
        return status;
    }

    /** The first error code of the registry's {@code {"errors":[…]}} body, as sent. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Whether the registry answered with {@code code}. */
    public boolean is(ErrorCode code) {
        return code.name().equals(errorCode);
    }

    /** The {@link ErrorCode} the registry answered with, if it is one the protocol defines. */
    public Optional<ErrorCode> knownCode() {
        return Arrays.stream(ErrorCode.values()).filter(this::is).findFirst();
    }

    /** When to try again, for {@code TOOMANYREQUESTS} and 503s that say. */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String flat = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return flat.length() <= 500 ? flat : flat.substring(0, 500) + "…";
    }
}
