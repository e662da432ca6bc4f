package dev.berth.server.meta;

/**
 * The metadata database failed: it is unreachable, full, corrupt or timed out waiting for a lock. Not a
 * protocol error, so it surfaces as a 500; protocol errors (an unknown blob) are
 * {@link dev.berth.spec.RegistryException}s.
 */
public final class MetadataException extends RuntimeException {

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
