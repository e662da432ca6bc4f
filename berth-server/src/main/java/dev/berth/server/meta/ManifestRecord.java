package dev.berth.server.meta;

import dev.berth.spec.Digest;
import java.util.List;
import java.util.Map;

/**
 * What the metadata store knows of a manifest in a repository. The bytes themselves live in the blob
 * store under {@code digest}.
 *
 * @param artifactType the referrers API's artifact type ({@code artifactType}, else the config's media
 *     type), or {@code null}
 * @param subject the manifest this one refers to (OCI 1.1 {@code subject}), or {@code null}
 * @param annotations the manifest's annotations, copied into referrers responses
 * @param references every blob and child manifest the manifest names
 * @param content the digest the manifest's bytes are stored under in the blob store: the SHA-256 of
 *     those bytes, which is {@code digest} itself except for signed schema 1 manifests (whose digest is
 *     that of the payload without signatures) and manifests pushed under a SHA-512 digest
 */
public record ManifestRecord(
        Digest digest,
        String mediaType,
        long size,
        String artifactType,
        Digest subject,
        Map<String, String> annotations,
        List<Digest> references,
        Digest content) {

    public ManifestRecord {
        annotations = Map.copyOf(annotations);
        references = List.copyOf(references);
        content = content == null ? digest : content;
    }

    /** A manifest whose bytes are stored under its own digest. */
    public ManifestRecord(Digest digest, String mediaType, long size, String artifactType, Digest subject,
            Map<String, String> annotations, List<Digest> references) {
        this(digest, mediaType, size, artifactType, subject, annotations, references, digest);
    }
}
