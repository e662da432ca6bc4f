package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed Docker schema 1 manifest, {@value MediaTypes#DOCKER_SCHEMA1_SIGNED}: a libtrust "pretty JWS"
 * whose signatures sit inside the document. Every signature must verify against the key in its header
 * ({@link ErrorCode#MANIFEST_UNVERIFIED} otherwise); the fields are read from the signed payload, the
 * document without its signatures, and {@link #digest()} is that payload's sha256.
 *
 * <p>{@code fsLayers} and {@code history} are in the document's order, top layer first.
 */
public record Schema1Manifest(String name, String tag, String architecture, List<Digest> fsLayers, List<String> history,
        byte[] content, Digest digest) implements Manifest {

    public Schema1Manifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(architecture, "architecture");
        fsLayers = List.copyOf(fsLayers);
        history = List.copyOf(history);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(digest, "digest");
    }

    /**
     * Signs an unsigned schema1 manifest the way docker and libtrust do: the result is {@code unsignedJson}
     * up to its last member, then {@code ,"signatures": […]} and the closing brace, indented like the input
     * (docker's three spaces). {@link Manifests#parse} verifies it and its digest is
     * {@code Digest.sha256(unsignedJson)}. The key pair is EC (P-256 gives docker's ES256; P-384 and P-521
     * also work) or RSA (RS256).
     *
     * <pre>{@code
     * KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
     * generator.initialize(new ECGenParameterSpec("secp256r1"));
     * byte[] signed = Schema1Manifest.sign(unsigned, generator.generateKeyPair());
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code unsignedJson} is not a non-empty JSON object without
     *     {@code signatures}, or the key is neither EC nor RSA
     */
    public static byte[] sign(byte[] unsignedJson, KeyPair ecP256KeyPair) {
        return PrettyJws.sign(unsignedJson, ecP256KeyPair);
    }

    static Schema1Manifest read(ObjectNode root, byte[] content) {
        ManifestJson.schemaVersion(root, 1);
        byte[] payload = PrettyJws.verify(root, content);
        ObjectNode signed = ManifestJson.readObject(payload, ErrorCode.MANIFEST_INVALID);
        ManifestJson.schemaVersion(signed, 1);
        ArrayNode layers = ManifestJson.array(signed, "fsLayers", "");
        ArrayNode entries = ManifestJson.array(signed, "history", "");
        if (layers.isEmpty()) {
            throw ManifestJson.invalid("fsLayers must not be empty");
        }
        if (layers.size() != entries.size()) {
            throw ManifestJson.invalid("history has " + entries.size() + " entries for " + layers.size() + " fsLayers");
        }
        List<Digest> fsLayers = new ArrayList<>(layers.size());
        List<String> history = new ArrayList<>(entries.size());
        for (int i = 0; i < layers.size(); i++) {
            fsLayers.add(ManifestJson.digest(entry(layers, i, "fsLayers"), "blobSum", "fsLayers[" + i + "]"));
            history.add(ManifestJson.string(entry(entries, i, "history"), "v1Compatibility", "history[" + i + "]"));
        }
        return new Schema1Manifest(
                ManifestJson.string(signed, "name", ""),
                ManifestJson.string(signed, "tag", ""),
                ManifestJson.string(signed, "architecture", ""),
                fsLayers,
                history,
                content,
                Digest.sha256(payload));
    }

    private static JsonNode entry(ArrayNode array, int i, String name) {
        JsonNode entry = array.get(i);
        if (!entry.isObject()) {
            throw ManifestJson.invalid(name + "[" + i + "] must be an object");
        }
        return entry;
    }

    @Override
    public String mediaType() {
        return MediaTypes.DOCKER_SCHEMA1_SIGNED;
    }

    @Override
    public List<Digest> blobs() {
        return fsLayers.stream().distinct().toList();
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

    @Override
    public Map<String, String> annotations() {
        return Map.of();
    }
}
