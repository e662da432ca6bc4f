package dev.berth.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/** An I/O failure of the storage backend: the registry answers 500, never a protocol error. */
public final class StorageException extends UncheckedIOException {

    public StorageException(String message, IOException cause) {
        super(message, cause);
    }
}
