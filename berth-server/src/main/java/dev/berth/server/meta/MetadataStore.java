package dev.berth.server.meta;

import dev.berth.spec.Digest;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The registry's relational index: repositories, the blobs linked into each, manifests and their
 * references, tags, referrers and upload sessions. Every method is one transaction; a manifest and
 * its tag are written together, so a tag never points at a manifest that is not there.
 *
 * <p>Repositories come into being with their first linked blob or manifest. Pagination is lexical:
 * {@code last} is exclusive and may be {@code null} for the first page.
 */
public interface MetadataStore extends MetadataReads, AutoCloseable {

    /** Records that a blob of {@code size} bytes is committed in the blob store (idempotent). */
    void putBlob(Digest digest, long size);

    /**
     * Links a committed blob into a repository, creating the repository (idempotent).
     *
     * @throws dev.berth.spec.RegistryException {@code BLOB_UNKNOWN} when the blob was never
     *     {@linkplain #putBlob put}; nothing is created then
     */
    void linkBlob(RepositoryName repository, Digest digest);

    /** Removes a blob's link from a repository; {@code false} when it was not linked. */
    boolean unlinkBlob(RepositoryName repository, Digest digest);

    /** Up to {@code limit} repositories that have {@code digest} linked, in name order. */
    List<RepositoryName> repositoriesWithBlob(Digest digest, int limit);

    /**
     * Stores a manifest in a repository and, when {@code tag} is not {@code null}, points the tag at
     * it, in one transaction. The manifest's own bytes, {@code content}, are kept as a blob under
     * {@link ManifestRecord#content()} (unless that blob is already there) and linked into the
     * repository. Putting the same manifest again is harmless; a tag moves to the newest manifest put
     * with it.
     */
    void putManifest(RepositoryName repository, ManifestRecord manifest, byte[] content, Tag tag);

    /**
     * The bytes of a blob kept in this store ({@link BlobRecord#inDatabase()}): a manifest or a small
     * blob; empty for a blob the blob store holds.
     */
    Optional<byte[]> blobContent(Digest digest);

    /** Deletes a manifest and every tag pointing at it; {@code false} when it was not there. */
    boolean deleteManifest(RepositoryName repository, Digest digest);

    /** Deletes one tag, leaving its manifest; {@code false} when the tag was not there. */
    boolean deleteTag(RepositoryName repository, Tag tag);

    /**
     * Manifests of a repository whose {@code subject} is {@code subject}, in digest order, optionally
     * only those of one artifact type ({@code null} for all).
     */
    List<ManifestRecord> referrers(RepositoryName repository, Digest subject, String artifactType);

    /**
     * Records a new upload session; its start time is kept to the millisecond. A store may keep it less
     * durably than other writes: until the upload completes, its bytes are not kept durably either.
     */
    void createUpload(UploadSession session);

    Optional<UploadSession> upload(String id);

    void deleteUpload(String id);

    /**
     * Ends an upload that produced a blob: records the blob ({@link #putBlob}) with its bytes, unless
     * {@code content} is {@code null} because the blob store committed them, links it into the session's
     * repository ({@link #linkBlob}) and deletes the session, in one transaction.
     */
    void completeUpload(UploadSession session, Digest digest, long size, byte[] content);

    /** Up to {@code limit} uploads started before {@code cutoff}, oldest first: abandoned ones to purge. */
    List<UploadSession> uploadsStartedBefore(Instant cutoff, int limit);

    @Override
    void close();
}
