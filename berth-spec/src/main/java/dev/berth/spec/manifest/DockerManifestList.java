package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A Docker manifest list, {@value MediaTypes#DOCKER_MANIFEST_LIST}: one schema 2 manifest per platform. */
public record DockerManifestList(List<Descriptor> manifests, Map<String, String> annotations, byte[] content, Digest digest)
        implements Manifest {

    public DockerManifestList {
        manifests = List.copyOf(manifests);
        annotations = ManifestJson.immutable(annotations);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(digest, "digest");
    }

    static DockerManifestList read(ObjectNode root, byte[] content) {
        ManifestJson.schemaVersion(root, 2);
        return new DockerManifestList(
                ManifestJson.descriptors(root, "manifests"),
                ManifestJson.annotations(root, ""),
                content,
                Digest.sha256(content));
    }

    @Override
    public String mediaType() {
        return MediaTypes.DOCKER_MANIFEST_LIST;
    }

    @Override
    public List<Digest> blobs() {
        return List.of();
    }

    @Override
    public List<Descriptor> children() {
        return manifests;
    }

    @Override
    public Optional<Descriptor> subject() {
        return Optional.empty();
    }

    @Override
    public Optional<String> artifactType() {
        return Optional.empty();
    }
}
