package dev.berth.server.meta;

import dev.berth.spec.RepositoryName;
import java.time.Instant;

/** An upload in progress: the data itself sits in the blob store's upload area under {@code id}. */
public record UploadSession(String id, RepositoryName repository, Instant startedAt) {
}
