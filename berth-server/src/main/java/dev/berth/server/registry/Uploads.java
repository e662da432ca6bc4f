package dev.berth.server.registry;

import dev.berth.server.http.RegistryRequest;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.meta.UploadSession;
import dev.berth.server.storage.BlobStore;
import dev.berth.server.storage.StorageException;
import dev.berth.server.storage.UploadWriter;
import dev.berth.spec.ByteRange;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RepositoryName;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Upload sessions: bodies stream into the blob store's upload area while SHA-256 is computed as the
 * bytes pass, so committing needs no second read. The running hash is kept in memory per session; when
 * it is missing (another node, a restart) it is rebuilt from the bytes already stored. One request at
 * a time works on a session.
 *
 * <p>A completed blob of up to {@value #SMALL_BLOB_BYTES} bytes (an image config, a small layer) is
 * kept in the metadata store, written in the transaction that records it, like a manifest: one durable
 * commit instead of a file sync, a rename and a directory sync besides. SQLite's own measurements find
 * blobs under about 100 KB faster to read and write inside the database than as separate files
 * (sqlite.org/intern-v-extern-blob.html).
 */
final class Uploads {
    private static final int SMALL_BLOB_BYTES = 64 * 1024;
    private static final int PURGE_BATCH = 100;
    private record Progress(MessageDigest sha256, long size) {
    }

    private final BlobStore blobs;
    private final MetadataStore meta;
    private final Clock clock;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    Uploads(BlobStore blobs, MetadataStore meta, Clock clock) {
        this.blobs = blobs;
        this.meta = meta;
        this.clock = clock;
    }

    UploadSession start(RepositoryName repository) {
        UploadSession session = new UploadSession(UUID.randomUUID().toString(), repository, clock.instant());
        meta.createUpload(session);
        return session;
    }

    /** The session {@code id} of {@code repository}, or {@code BLOB_UPLOAD_UNKNOWN}. */
    UploadSession find(RepositoryName repository, String id) {
        return meta.upload(id)
                .filter(s -> s.repository().equals(repository))
                .orElseThrow(() -> ErrorCode.BLOB_UPLOAD_UNKNOWN.exception(id));
    }

    long size(UploadSession session) {
        return locked(session, () -> {
            try (UploadWriter writer = blobs.upload(session.id())) {
                return writer.size();
            }
        });
    }

    /**
     * Appends the request body. With a {@code chunk} range, it must start where the upload ends
     * ({@code RANGE_INVALID} otherwise) and the body must be exactly that long ({@code SIZE_INVALID});
     * a failed append leaves the upload as it was.
     */
    long append(UploadSession session, RegistryRequest request, ByteRange chunk) {
        return locked(session, () -> {
            try (UploadWriter writer = blobs.upload(session.id())) {
                return appendLocked(session, writer, request, chunk);
            }
        });
    }

    /**
     * Appends the final body, if any, checks the content against {@code expected} and commits it under
     * that digest, linked into the session's repository. A mismatch cancels the upload.
     */
    long complete(UploadSession session, RegistryRequest request, ByteRange chunk, Digest expected) {
        return locked(session, () -> {
            long size;
            Digest actual;
            byte[] content = null;
            try (UploadWriter writer = blobs.upload(session.id())) {
                size = appendLocked(session, writer, request, chunk);
                writer.flush(); // what follows may read the file back
                actual = expected.algorithm().equals("sha256")
                        ? Digest.of(progress.get(session.id()).sha256().digest())
                        : new Digest(expected.algorithm(), HexFormat.of().formatHex(feed(session.id(), expected.newHasher(), size).digest()));
                if (!actual.equals(expected)) {
                    writer.close();
                    discard(session);
                    throw ErrorCode.DIGEST_INVALID.exception("computed " + actual + " for the upload, not " + expected);
                }
                if (size <= SMALL_BLOB_BYTES) {
                    content = read(session.id(), size);
                } else {
                    writer.commit(expected);
                }
            }
            if (content != null) {
                // before the commit, as a committed upload's file is moved: a crash between the two
                // leaves the session to the purge, never an upload file no session owns
                blobs.cancelUpload(session.id());
            }
            meta.completeUpload(session, expected, size, content);
            forget(session.id());
            return size;
        });
    }

    /**
     * Discards uploads started before {@code cutoff}, in batches, and returns how many: clients that
     * never finished, or were cut off by a crash, leave their session and bytes behind.
     */
    int purgeStartedBefore(Instant cutoff) {
        int purged = 0;
        List<UploadSession> stale;
        while (!(stale = meta.uploadsStartedBefore(cutoff, PURGE_BATCH)).isEmpty()) {
            for (UploadSession session : stale) {
                locked(session, () -> {
                    discard(session);
                    return null;
                });
            }
            purged += stale.size();
        }
        return purged;
    }

    void cancel(UploadSession session) {
        locked(session, () -> {
            discard(session);
            return null;
        });
    }

    private long appendLocked(UploadSession session, UploadWriter writer, RegistryRequest request, ByteRange chunk) {
        long start = writer.size();
        if (chunk != null && chunk.first() != start) {
            throw ErrorCode.RANGE_INVALID.exception("chunk starts at " + chunk.first() + " but the upload holds " + start + " bytes");
        }
        MessageDigest sha256 = hasherAt(session.id(), start);
        long written = 0;
        try {
            Buffer piece;
            while ((piece = request.readBodyChunk()) != null) {
                for (ByteBuffer bytes : ((BufferInternal) piece).getByteBuf().nioBuffers()) {
                    sha256.update(bytes.duplicate());
                    written += bytes.remaining();
                    writer.write(bytes);
                }
            }
            if (chunk != null && written != chunk.length()) {
                throw ErrorCode.SIZE_INVALID.exception("Content-Range announced " + chunk.length() + " bytes, body had " + written);
            }
        } catch (RuntimeException e) {
            progress.remove(session.id());
            writer.truncate(start);
            throw e;
        }
        progress.put(session.id(), new Progress(sha256, start + written));
        return start + written;
    }

    /** A hasher that has seen exactly the first {@code size} bytes of the upload. */
    private MessageDigest hasherAt(String id, long size) {
        Progress known = progress.get(id);
        if (known != null && known.size() == size) {
            return known.sha256();
        }
        return feed(id, Digest.newSha256(), size);
    }

    private byte[] read(String id, long size) {
        try (InputStream in = blobs.readUpload(id)) {
            return in.readNBytes((int) size);
        } catch (IOException e) {
            throw new StorageException("cannot read upload " + id, e);
        }
    }

    /** Feeds the first {@code size} bytes of the upload to {@code hasher}. */
    private MessageDigest feed(String id, MessageDigest hasher, long size) {
        try (InputStream in = blobs.readUpload(id)) {
            byte[] buffer = new byte[64 * 1024];
            long remaining = size;
            int n;
            while (remaining > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining))) > 0) {
                hasher.update(buffer, 0, n);
                remaining -= n;
            }
            return hasher;
        } catch (IOException e) {
            throw new StorageException("cannot read upload " + id, e);
        }
    }

    private void discard(UploadSession session) {
        blobs.cancelUpload(session.id());
        meta.deleteUpload(session.id());
        forget(session.id());
    }

    private void forget(String id) {
        progress.remove(id);
        locks.remove(id);
    }

    private <T> T locked(UploadSession session, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(session.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            if (meta.upload(session.id()).isEmpty()) {
                throw ErrorCode.BLOB_UPLOAD_UNKNOWN.exception(session.id());
            }
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
