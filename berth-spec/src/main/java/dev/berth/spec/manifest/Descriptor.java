package dev.berth.spec.manifest;

import dev.berth.spec.Digest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An OCI content descriptor: what a manifest says about a blob or a child manifest. {@code annotations}
 * is never {@code null} (empty when absent) and keeps the document's order; {@code artifactType} and
 * {@code platform} are {@code null} when absent; {@code urls} (where a foreign layer can be fetched) is
 * empty when absent.
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
        Map<String, String> annotations, Platform platform, List<String> urls) {

    /** Layer types that registries need not hold: clients fetch them from the descriptor's {@code urls}. */
    private static final Set<String> FOREIGN_LAYERS = Set.of(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    public Descriptor(String mediaType, Digest digest, long size, String artifactType,
            Map<String, String> annotations, Platform platform) {
        this(mediaType, digest, size, artifactType, annotations, platform, List.of());
    }

    public Descriptor {
        urls = urls == null ? List.of() : List.copyOf(urls);
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        annotations = ManifestJson.immutable(annotations);
    }

    /** A foreign (non-distributable) layer, which lives at its {@code urls} rather than in the registry. */
    public boolean isForeign() {
        return FOREIGN_LAYERS.contains(mediaType);
    }
}
