package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** An OCI image index, {@value MediaTypes#OCI_INDEX}: a list of manifests, usually one per platform. */
public record ImageIndex(List<Descriptor> manifests, Optional<Descriptor> subject, Optional<String> artifactType,
        Map<String, String> annotations, byte[] content, Digest digest) implements Manifest {

    public ImageIndex {
        manifests = List.copyOf(manifests);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(artifactType, "artifactType");
        annotations = ManifestJson.immutable(annotations);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(digest, "digest");
    }

    static ImageIndex read(ObjectNode root, byte[] content) {
        ManifestJson.schemaVersion(root, 2);
        return new ImageIndex(
                ManifestJson.descriptors(root, "manifests"),
                ManifestJson.optionalDescriptor(root, "subject"),
                ManifestJson.optionalMediaType(root, "artifactType", ""),
                ManifestJson.annotations(root, ""),
                content,
                Digest.sha256(content));
    }

    @Override
    public String mediaType() {
        return MediaTypes.OCI_INDEX;
    }

    @Override
    public List<Digest> blobs() {
        return List.of();
    }

    @Override
    public List<Descriptor> children() {
        return manifests;
    }
}
