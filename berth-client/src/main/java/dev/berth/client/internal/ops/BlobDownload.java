package dev.berth.client.internal.ops;

import dev.berth.client.RegistryClientException;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.Repository;
import dev.berth.spec.RegistryPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob GET, streamed into an {@link OutputStream} while hashed, and verified at the end. When the
 * connection breaks mid-body, the download resumes with {@code Range: bytes=<received>-} (at most
 * {@code maxResumes} times); a registry that ignores the range and sends 200 has the received part
 * skipped. A download into a file goes to {@code <file>.partial} first, so an interrupted run leaves a
 * partial file the next run resumes from; only verified content is moved to the file itself.
 */
public final class BlobDownload {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final String PARTIAL = ".partial";

    private final Calls calls;
    private final int maxResumes;

    public BlobDownload(Calls calls, int maxResumes) {
        this.calls = calls;
        this.maxResumes = maxResumes;
    }

    /** Streams the blob into {@code out}; returns its size. {@code out} is not closed. */
    public long toStream(Repository repo, Digest digest, OutputStream out) {
        MessageDigest hasher = digest.newHasher();
        long size = download(repo, digest, out, 0, hasher);
        verify(repo, digest, hasher);
        return size;
    }

    /** Downloads to {@code target} through {@code target.partial}, resuming from what that holds already. */
    public long toFile(Repository repo, Digest digest, Path target) {
        Path partial = target.resolveSibling(target.getFileName() + PARTIAL);
        MessageDigest hasher = digest.newHasher();
        try {
            long offset = Files.exists(partial) ? hashExisting(partial, hasher) : 0;
            long size;
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                size = download(repo, digest, out, offset, hasher);
            } catch (RangeRefused refused) {
                if (offset > 0 && matches(digest, hasher)) {
                    return finish(partial, target, offset); // the partial file was complete already
                }
                try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
                return toFile(repo, digest, target);
            }
            try {
                verify(repo, digest, hasher);
            } catch (RegistryClientException mismatch) {
                Files.deleteIfExists(partial);
                throw mismatch;
            }
            return finish(partial, target, size);
        } catch (IOException e) {
            throw new RegistryClientException("cannot write " + target + ": " + Calls.describe(e), e);
        }
    }

    /** Thrown when a resumed range is refused (416): the partial content is complete or wrong. */
    private static final class RangeRefused extends RuntimeException {
        RangeRefused() {
            super(null, null, false, false);
        }
    }

    private long download(Repository repo, Digest digest, OutputStream out, long offset, MessageDigest hasher) {
        long received = offset;
        for (int resumes = 0; ; resumes++) {
            Request request = Calls.request("GET", repo.registry(), RegistryPath.blob(repo.name(), digest),
                    List.of(repo.scope("pull")));
            if (received > 0) {
                request = request.withHeader("Range", "bytes=" + received + "-");
            }
            Response response = calls.exchange(request);
            if (response.status() == 416 && received > 0) {
                response.close();
                throw new RangeRefused();
            }
            if (response.status() != 200 && response.status() != 206) {
                throw calls.failure(response);
            }
            try (response; InputStream in = response.body()) {
                if (response.status() == 206) {
                    checkRange(response, received, request);
                } else if (received > 0) {
                    in.skipNBytes(received); // the registry ignored the range
                }
                received = copy(in, out, hasher, received);
                return received;
            } catch (ReadFailure broken) {
                received = broken.received;
                if (resumes >= maxResumes) {
                    throw new RegistryClientException("GET " + request.uri() + ": connection broken after " + received
                            + " bytes, " + resumes + " resumes: " + Calls.describe(broken.cause), broken.cause);
                }
            } catch (IOException e) {
                throw new RegistryClientException("GET " + request.uri() + ": " + Calls.describe(e), e);
            }
        }
    }

    /** A read from the registry failed after {@code received} bytes in all; writes failing are not this. */
    private static final class ReadFailure extends IOException {
        final long received;
        final IOException cause;

        ReadFailure(long received, IOException cause) {
            super(cause);
            this.received = received;
            this.cause = cause;
        }
    }

    private static long copy(InputStream in, OutputStream out, MessageDigest hasher, long received) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new ReadFailure(received, e);
            }
            if (n < 0) {
                return received;
            }
            out.write(buffer, 0, n);
            hasher.update(buffer, 0, n);
            received += n;
        }
    }

    private static void checkRange(Response response, long from, Request request) {
        String header = response.header("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) != from) {
            throw new RegistryClientException("GET " + request.uri() + ": asked for bytes from " + from
                    + ", got Content-Range '" + header + "'");
        }
    }

    private static long hashExisting(Path partial, MessageDigest hasher) throws IOException {
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(partial)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                hasher.update(buffer, 0, n);
                size += n;
            }
        }
        return size;
    }

    private static boolean matches(Digest digest, MessageDigest hasher) {
        try {
            MessageDigest copy = (MessageDigest) hasher.clone();
            return new Digest(digest.algorithm(), java.util.HexFormat.of().formatHex(copy.digest())).equals(digest);
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }

    private static void verify(Repository repo, Digest digest, MessageDigest hasher) {
        Digest actual = new Digest(digest.algorithm(), java.util.HexFormat.of().formatHex(hasher.digest()));
        if (!actual.equals(digest)) {
            throw new RegistryClientException(0, ErrorCode.DIGEST_INVALID.name(), repo + "@" + digest
                    + ": blob content has digest " + actual, null, null);
        }
    }

    private static long finish(Path partial, Path target, long size) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return size;
    }
}
