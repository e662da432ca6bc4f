package dev.berth.server.meta;

/**
 * A committed blob: its size, and whether its bytes are kept in the metadata store
 * ({@link MetadataStore#blobContent}: manifests and small blobs) rather than in the blob store.
 */
public record BlobRecord(long size, boolean inDatabase) {
}
