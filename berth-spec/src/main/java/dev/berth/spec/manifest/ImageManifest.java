package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI image manifest, {@value MediaTypes#OCI_MANIFEST}. OCI 1.1 artifacts have the same shape, usually
 * with an {@code artifactType} and the empty config ({@value MediaTypes#OCI_EMPTY}, two bytes {@code {}}).
 *
 * <p>{@code artifactType} is the effective type the referrers API lists: the field when the manifest has
 * one, the config's media type otherwise, so it is never empty here.
 */
public record ImageManifest(Descriptor config, List<Descriptor> layers, Optional<Descriptor> subject,
        Optional<String> artifactType, Map<String, String> annotations, byte[] content, Digest digest) implements Manifest {

    public ImageManifest {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        Objects.requireNonNull(subject, "subject");
        artifactType = artifactType.or(() -> Optional.of(config.mediaType()));
        annotations = ManifestJson.immutable(annotations);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(digest, "digest");
    }

    static ImageManifest read(ObjectNode root, byte[] content) {
        ManifestJson.schemaVersion(root, 2);
        return new ImageManifest(
                ManifestJson.descriptor(ManifestJson.object(root, "config", ""), "config"),
                ManifestJson.descriptors(root, "layers"),
                ManifestJson.optionalDescriptor(root, "subject"),
                ManifestJson.optionalMediaType(root, "artifactType", ""),
                ManifestJson.annotations(root, ""),
                content,
                Digest.sha256(content));
    }

    @Override
    public String mediaType() {
        return MediaTypes.OCI_MANIFEST;
    }

    @Override
    public List<Digest> blobs() {
        return ManifestJson.distinct(config, layers);
    }

    @Override
    public List<Descriptor> children() {
        return List.of();
    }
}
