package dev.berth.client.image;

import dev.berth.spec.Digest;
import java.util.Objects;

/**
 * What an {@link ImageDestination} is told about a blob it receives: its digest, its size
 * ({@code -1} when unknown, as for the layers of a schema 1 manifest read from a source that does not
 * say) and the media type the manifest gives it ({@value dev.berth.spec.MediaTypes#OCTET_STREAM} when
 * it gives none).
 */
public record BlobInfo(Digest digest, long size, String mediaType) {

    public BlobInfo {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        if (size < -1) {
            throw new IllegalArgumentException("size: " + size);
        }
    }
}
