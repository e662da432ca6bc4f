package dev.berth.spec.manifest;

import dev.berth.spec.Digest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed and validated manifest, as {@link Manifests#parse} returns it. Consume it with an exhaustive
 * {@code switch}:
 *
 * <pre>{@code
 * switch (Manifests.parse(body, contentType)) {
 *     case ImageManifest m -> …;
 *     case ImageIndex i -> …;
 *     case DockerManifest m -> …;
 *     case DockerManifestList l -> …;
 *     case Schema1Manifest s -> …;
 * }
 * }</pre>
 *
 * <p>{@link #content()} is the pushed bytes, to be stored and served unchanged; it is not copied, so
 * do not modify it. The records compare that array by identity: compare manifests by {@link #digest()}.
 */
public sealed interface Manifest permits ImageManifest, ImageIndex, DockerManifest, DockerManifestList, Schema1Manifest {

    /**
     * The media type the manifest is stored and served with. A schema1 manifest is always
     * {@code application/vnd.docker.distribution.manifest.v1+prettyjws}, however it was pushed.
     */
    String mediaType();

    /** The exact bytes as pushed; for schema1, the signed document. */
    byte[] content();

    /**
     * The sha256 of {@link #content()}. For schema1 it is the sha256 of the signed payload, the document
     * without its signatures, as libtrust and docker compute it.
     */
    Digest digest();

    /**
     * The blobs that must exist in the repository before the manifest is accepted, without repeats:
     * config then layers, or a schema1 manifest's {@code fsLayers}. Empty for indexes.
     */
    List<Digest> blobs();

    /** The manifests an index or manifest list refers to; empty for everything else. */
    List<Descriptor> children();

    /** The OCI 1.1 {@code subject} this manifest refers to; only OCI manifests and indexes have one. */
    Optional<Descriptor> subject();

    /**
     * The type the referrers API lists this manifest under: the {@code artifactType} field or, for an
     * OCI image manifest without one, its config's media type. Empty for Docker types.
     */
    Optional<String> artifactType();

    Map<String, String> annotations();
}
