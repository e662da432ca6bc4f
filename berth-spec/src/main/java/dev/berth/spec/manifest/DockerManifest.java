package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A Docker image manifest, schema 2: {@value MediaTypes#DOCKER_MANIFEST}. */
public record DockerManifest(Descriptor config, List<Descriptor> layers, Map<String, String> annotations,
        byte[] content, Digest digest) implements Manifest {

    public DockerManifest {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        annotations = ManifestJson.immutable(annotations);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(digest, "digest");
    }

    static DockerManifest read(ObjectNode root, byte[] content) {
        ManifestJson.schemaVersion(root, 2);
        return new DockerManifest(
                ManifestJson.descriptor(ManifestJson.object(root, "config", ""), "config"),
                ManifestJson.descriptors(root, "layers"),
                ManifestJson.annotations(root, ""),
                content,
                Digest.sha256(content));
    }

    @Override
    public String mediaType() {
        return MediaTypes.DOCKER_MANIFEST;
    }

    @Override
    public List<Digest> blobs() {
        return ManifestJson.distinct(config, layers);
    }

    @Override
    public List<Descriptor> children() {
        return List.of();
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
