package dev.berth.server.storage;

import dev.berth.spec.Digest;
import java.io.InputStream;

/**
 * The content-addressed store: immutable blobs under their digest, plus an upload area where blobs are
 * written before they have one. It knows nothing of repositories, links or tags; the metadata store
 * does.
 *
 * <p>Contract for every implementation: a blob is visible under its digest only once complete and
 * durable ({@link UploadWriter#commit} is atomic), so a crash at any point leaves
 * either the whole blob or nothing under a digest.
 */
public interface BlobStore {

    /**
     * Where to read a committed blob of a size the metadata recorded; touches no storage, so it may be
     * called on an event loop.
     */
    BlobSource source(Digest digest, long size);

    /**
     * The whole content of a small committed blob: a manifest stored before manifests moved into the
     * metadata store.
     */
    byte[] read(Digest digest);

    /** Removes a committed blob; {@code false} when it was not there. */
    boolean delete(Digest digest);

    /** Opens the upload {@code id} for appending, creating it empty when new. */
    UploadWriter upload(String id);

    /** Reads what an upload holds so far, e.g. to rebuild its hash after a restart. */
    InputStream readUpload(String id);

    /** Discards an upload; {@code false} when there was none. */
    boolean cancelUpload(String id);
}
