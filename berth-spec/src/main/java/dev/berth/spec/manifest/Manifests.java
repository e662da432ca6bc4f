package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import java.util.Optional;

/**
 * Parses and validates pushed manifests. The type comes from the request's {@code Content-Type} when
 * that names a manifest type; otherwise ({@code application/json}, {@code application/octet-stream},
 * none, anything else) from the body's {@code mediaType}; without that either, from the shape: schema
 * version 1 is schema1, a {@code manifests} array an OCI index, anything else an OCI image manifest.
 *
 * <pre>{@code
 * Manifest manifest = Manifests.parse(body, request.getHeader("Content-Type"));
 * for (Digest blob : manifest.blobs()) { … must exist in the repository … }
 * }</pre>
 */
public final class Manifests {
    /** The largest manifest accepted; the distribution-spec asks registries to take at least 4 MiB. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private Manifests() {
    }

    private enum Kind {
        OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST, SCHEMA1;

        static Optional<Kind> of(String mediaType) {
            return Optional.ofNullable(switch (mediaType == null ? "" : mediaType) {
                case MediaTypes.OCI_MANIFEST -> OCI_MANIFEST;
                case MediaTypes.OCI_INDEX -> OCI_INDEX;
                case MediaTypes.DOCKER_MANIFEST -> DOCKER_MANIFEST;
                case MediaTypes.DOCKER_MANIFEST_LIST -> DOCKER_LIST;
                case MediaTypes.DOCKER_SCHEMA1, MediaTypes.DOCKER_SCHEMA1_SIGNED -> SCHEMA1;
                default -> null;
            });
        }
    }

    /**
     * Parses and validates a pushed manifest. {@code contentType} is the request's {@code Content-Type}
     * header, which may be {@code null} or carry parameters.
     *
     * @throws dev.berth.spec.RegistryException {@link ErrorCode#MANIFEST_TOO_BIG} over {@link #MAX_BYTES},
     *     {@link ErrorCode#MANIFEST_UNVERIFIED} for a schema1 manifest whose signatures are missing or do
     *     not verify, {@link ErrorCode#MANIFEST_INVALID} for anything else that is wrong with it
     */
    public static Manifest parse(byte[] content, String contentType) {
        if (content.length > MAX_BYTES) {
            throw ErrorCode.MANIFEST_TOO_BIG.exception("manifest of " + content.length + " bytes exceeds the limit of " + MAX_BYTES);
        }
        ObjectNode root = ManifestJson.readObject(content, ErrorCode.MANIFEST_INVALID);
        Kind kind = kind(root, MediaTypes.essence(contentType));
        if (ManifestJson.has(root, "manifests") && (ManifestJson.has(root, "config") || ManifestJson.has(root, "layers"))) {
            throw ManifestJson.invalid("a manifest cannot have both manifests and config or layers");
        }
        return switch (kind) {
            case OCI_MANIFEST -> ImageManifest.read(root, content);
            case OCI_INDEX -> ImageIndex.read(root, content);
            case DOCKER_MANIFEST -> DockerManifest.read(root, content);
            case DOCKER_LIST -> DockerManifestList.read(root, content);
            case SCHEMA1 -> Schema1Manifest.read(root, content);
        };
    }

    private static Kind kind(ObjectNode root, String contentType) {
        String declared = ManifestJson.optionalString(root, "mediaType", "").orElse(null);
        Optional<Kind> fromHeader = Kind.of(contentType);
        Kind kind;
        if (fromHeader.isPresent()) {
            kind = fromHeader.get();
            if (declared != null && Kind.of(declared).orElse(null) != kind) {
                throw ManifestJson.invalid("manifest media type " + ManifestJson.abbreviate(declared)
                        + " does not match Content-Type " + contentType);
            }
        } else if (declared != null) {
            kind = Kind.of(declared).orElseThrow(
                    () -> ManifestJson.invalid("unsupported manifest media type " + ManifestJson.abbreviate(declared)));
        } else {
            kind = byShape(root);
        }
        boolean mediaTypeRequired = switch (kind) {
            case DOCKER_MANIFEST, DOCKER_LIST -> true;
            case OCI_MANIFEST, OCI_INDEX, SCHEMA1 -> false;
        };
        if (mediaTypeRequired && declared == null) {
            throw ManifestJson.invalid("mediaType is required for " + contentType);
        }
        return kind;
    }

    private static Kind byShape(ObjectNode root) {
        JsonNode version = ManifestJson.field(root, "schemaVersion");
        if (version != null && version.isIntegralNumber() && version.canConvertToInt() && version.intValue() == 1) {
            return Kind.SCHEMA1;
        }
        return ManifestJson.has(root, "manifests") ? Kind.OCI_INDEX : Kind.OCI_MANIFEST;
    }
}
