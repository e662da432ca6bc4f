package dev.berth.client.internal.ops;

import dev.berth.client.BlobPush;
import dev.berth.client.BlobSource;
import dev.berth.client.internal.http.Body;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.Digest;
import dev.berth.spec.Repository;
import dev.berth.spec.RegistryPath;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Pushes one blob, cheapest way first: HEAD in the target (present: done); a cross-repository mount
 * when a source repository on the same registry is named (201: done; 202: the registry opened an
 * upload instead); otherwise an upload. Blobs up to {@code monolithicLimit} bytes go in the commit's
 * PUT; larger ones in one streamed PATCH, or in PATCH chunks of {@code chunkSize} bytes, each opened
 * afresh from the source at its offset. The content is streamed, never held in memory.
 */
public final class BlobPusher {
    private final Calls calls;
    private final long chunkSize;
    private final long monolithicLimit;

    public BlobPusher(Calls calls, long chunkSize, long monolithicLimit) {
        this.calls = calls;
        this.chunkSize = chunkSize;
        this.monolithicLimit = monolithicLimit;
    }

    /** HEAD: whether the repository has the blob. */
    public boolean exists(Repository repo, Digest digest) {
        Request request = Calls.request("HEAD", repo.registry(), RegistryPath.blob(repo.name(), digest),
                List.of(repo.scope("pull")));
        try (Response response = calls.exchange(request)) {
            return switch (response.status()) {
                case 200 -> true;
                case 404 -> false;
                default -> throw calls.failure(response);
            };
        }
    }

    public BlobPush push(Repository target, BlobSource blob, Optional<Repository> mountFrom) {
        if (exists(target, blob.digest())) {
            return new BlobPush(blob.digest(), blob.size(), BlobPush.Outcome.EXISTED);
        }
        Optional<Repository> from = mountFrom.filter(source -> source.registry().equals(target.registry()) && !source.equals(target));
        UploadSteps.Started started = new UploadSteps.Start(target, blob.digest(), from).result(calls);
        if (started instanceof UploadSteps.Mounted) {
            return new BlobPush(blob.digest(), blob.size(), BlobPush.Outcome.MOUNTED);
        }
        URI location = ((UploadSteps.Session) started).location();
        if (blob.size() <= monolithicLimit) {
            new UploadSteps.Commit(target, location, blob.digest(), slice(blob, 0, blob.size())).result(calls);
        } else {
            boolean chunked = chunkSize < blob.size();
            long step = chunked ? chunkSize : blob.size();
            for (long offset = 0; offset < blob.size(); offset += step) {
                long length = Math.min(step, blob.size() - offset);
                location = new UploadSteps.Patch(target, location, slice(blob, offset, length), offset, chunked).result(calls);
            }
            new UploadSteps.Commit(target, location, blob.digest(), Body.NONE).result(calls);
        }
        return new BlobPush(blob.digest(), blob.size(), BlobPush.Outcome.UPLOADED);
    }

    /** {@code length} bytes from {@code offset}, opened only when sent, and again if resent. */
    private static Body slice(BlobSource blob, long offset, long length) {
        if (length == 0) {
            return new Body.Bytes(new byte[0]);
        }
        return new Body.Stream(() -> new Bounded(blob.openAt(offset), length), length, true);
    }
}
