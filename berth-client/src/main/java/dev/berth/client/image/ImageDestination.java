package dev.berth.client.image;

import dev.berth.spec.Digest;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * Where an image is written: a registry repository, an OCI layout, an oci-archive, a docker-archive.
 * {@link ImageCopier} puts blobs first (several at once, so {@link #putBlob} must be safe for
 * concurrent calls), then the manifests an index refers to with {@link #putManifest}, then the root
 * with {@link #putRoot}. Archives are only written out by {@link #commit()}; closing a destination that
 * was not committed discards what it wrote where the format allows it.
 */
public interface ImageDestination extends Closeable {

    /** Whether the destination already holds the blob, so that copying it can be skipped. */
    boolean hasBlob(Digest digest) throws IOException;

    /**
     * Stores a blob, reading a stream from {@code content} to its end (and opening it again should an
     * attempt fail). Implementations verify the digest (and size when known) as the bytes stream by and
     * store nothing under the digest when they do not match. {@code blob.size()} is {@code -1} when the
     * source could not tell it.
     */
    void putBlob(BlobInfo blob, BlobOpener content) throws IOException;

    /** Stores a manifest an index or manifest list refers to, by its digest and with its exact bytes. */
    void putManifest(Manifest manifest) throws IOException;

    /**
     * Stores the manifest that was asked for, under {@code tag} when present; an OCI layout lists it in
     * {@code index.json}, a docker-archive in {@code manifest.json}.
     */
    void putRoot(Manifest manifest, Optional<Tag> tag) throws IOException;

    /** Whether the destination can hold an image index or manifest list, rather than single images only. */
    default boolean supportsIndexes() {
        return true;
    }

    /** Finishes what was written: an archive is written out now. The default does nothing. */
    default void commit() throws IOException {
    }

    @Override
    default void close() throws IOException {
    }
}
