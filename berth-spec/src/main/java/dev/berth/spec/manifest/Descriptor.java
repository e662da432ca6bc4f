package dev.berth.spec.manifest;

import dev.berth.spec.Digest;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor: what a manifest says about a blob or a child manifest. {@code annotations}
 * is never {@code null} (empty when absent) and keeps the document's order; {@code artifactType} and
 * {@code platform} are {@code null} when absent.
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
        Map<String, String> annotations, Platform platform) {

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        annotations = ManifestJson.immutable(annotations);
    }
}
