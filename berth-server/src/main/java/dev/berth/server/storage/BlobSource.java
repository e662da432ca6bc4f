package dev.berth.server.storage;

import java.nio.file.Path;

/** Where a committed blob can be read from, so the HTTP layer can pick the cheapest way to send it. */
public sealed interface BlobSource {

    long size();

    /** A local file, sent zero-copy with {@code sendfile(2)}. */
    record LocalFile(Path path, long size) implements BlobSource {
    }
}
