package dev.berth.server.registry;

import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.ManifestRecord;
import dev.berth.server.meta.MetadataReads;
import dev.berth.server.meta.MetadataStore;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.Identifier;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.RegistryException;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RegistryPath.Endpoint;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.DockerManifest;
import dev.berth.spec.manifest.DockerManifestList;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.ImageManifest;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import dev.berth.spec.manifest.Schema1Manifest;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /v2/<name>/manifests/<reference>}: GET/HEAD by tag or digest with {@code Accept}
 * negotiation and {@code If-None-Match}; PUT stores the exact bytes after validation (every referenced
 * blob and child manifest must be in the repository; a {@code subject} need not be); DELETE by digest
 * removes the manifest and its tags, by tag only the tag.
 */
final class ManifestHandler {
    private final MetadataStore meta;
    private final MetadataReads memory;
    private final ContentCache cache;
    private final boolean deletes;

    ManifestHandler(MetadataStore meta, MetadataReads memory, ContentCache cache, boolean deletes) {
        this.meta = meta;
        this.memory = memory;
        this.cache = cache;
        this.deletes = deletes;
    }

    void register(Routes routes) {
        routes.add(Endpoint.MANIFEST, HttpMethod.GET,
                        request -> get(request, meta, cache::get),
                        request -> get(request, memory, cache::inMemory))
                .add(Endpoint.MANIFEST, HttpMethod.PUT, this::put);
        if (deletes) {
            routes.add(Endpoint.MANIFEST, HttpMethod.DELETE, this::delete);
        }
    }

    private Reply get(RegistryRequest request, MetadataReads reads, Function<Digest, byte[]> bytes) {
        RepositoryName name = request.name();
        Digest digest = switch (request.identifier()) {
            case Tag tag -> reads.resolveTag(name, tag).orElseThrow(() -> ErrorCode.MANIFEST_UNKNOWN.exception("unknown tag=" + tag));
            case Digest d -> d;
        };
        ManifestRecord manifest = reads.manifest(name, digest).orElseThrow(() -> unknown(name, digest));
        requireAccepted(request.headers("Accept"), manifest.mediaType());
        String etag = "\"" + digest + "\"";
        if (request.header("If-None-Match").filter(value -> matchesEtag(value, digest)).isPresent()) {
            return Reply.status(304).header("Docker-Content-Digest", digest).header("ETag", etag).empty();
        }
        byte[] content = bytes.apply(manifest.content());
        return Reply.status(200)
                .header("Docker-Content-Digest", digest)
                .header("ETag", etag)
                .bytes(manifest.mediaType(), content);
    }

    private Reply put(RegistryRequest request) {
        RepositoryName name = request.name();
        Identifier identifier = request.identifier();
        request.header("Content-Length").filter(length -> length.length() > 9 || Long.parseLong(length) > Manifests.MAX_BYTES)
                .ifPresent(length -> {
                    throw ErrorCode.MANIFEST_TOO_BIG.exception("manifest of " + length + " bytes exceeds " + Manifests.MAX_BYTES);
                });
        byte[] content = request.readBody(Manifests.MAX_BYTES,
                () -> ErrorCode.MANIFEST_TOO_BIG.exception("manifest exceeds " + Manifests.MAX_BYTES + " bytes"));
        Manifest manifest = Manifests.parse(content, request.header("Content-Type").orElse(null));
        Digest digest = switch (identifier) {
            case Tag tag -> manifest.digest();
            case Digest given -> verified(given, manifest);
        };
        validateFor(name, manifest);
        // the parser already hashed the bytes; only a signed schema 1 manifest's digest is another's (its payload's)
        Digest stored = manifest instanceof Schema1Manifest ? Digest.sha256(content) : manifest.digest();
        cache.put(stored, content);
        meta.putManifest(name, record(digest, stored, manifest), content, identifier instanceof Tag tag ? tag : null);
        Reply.Builder reply = Reply.status(201)
                .header("Location", RegistryPath.manifest(name, digest))
                .header("Docker-Content-Digest", digest);
        manifest.subject().ifPresent(subject -> reply.header("OCI-Subject", subject.digest()));
        return reply.empty();
    }

    private Reply delete(RegistryRequest request) {
        RepositoryName name = request.name();
        boolean deleted = switch (request.identifier()) {
            case Tag tag -> meta.deleteTag(name, tag);
            case Digest digest -> meta.deleteManifest(name, digest);
        };
        if (!deleted) {
            throw ErrorCode.MANIFEST_UNKNOWN.exception(Map.of("Name", name.value(), "Reference", request.last()));
        }
        return Reply.status(202).empty();
    }

    /** The digest a manifest is pushed under must be the digest of what was pushed. */
    private static Digest verified(Digest given, Manifest manifest) {
        Digest actual = given.algorithm().equals(manifest.digest().algorithm())
                ? manifest.digest()
                : given.recompute(manifest.content());
        if (!actual.equals(given)) {
            throw ErrorCode.DIGEST_INVALID.exception("manifest digest is " + actual + ", not " + given);
        }
        return given;
    }

    /** Type-specific checks, then: every blob and child manifest must already be in the repository. */
    private void validateFor(RepositoryName name, Manifest manifest) {
        switch (manifest) {
            case Schema1Manifest schema1 -> {
                if (!schema1.name().equals(name.value())) {
                    throw ErrorCode.NAME_INVALID.exception("manifest name " + schema1.name() + " does not match " + name);
                }
            }
            case ImageManifest image -> { }
            case ImageIndex index -> { }
            case DockerManifest docker -> { }
            case DockerManifestList list -> { }
        }
        for (Digest blob : manifest.blobs()) {
            if (!meta.isBlobLinked(name, blob)) {
                throw ErrorCode.MANIFEST_BLOB_UNKNOWN.exception(blob.toString());
            }
        }
        for (Descriptor child : manifest.children()) {
            if (meta.manifest(name, child.digest()).isEmpty()) {
                throw ErrorCode.MANIFEST_BLOB_UNKNOWN.exception(child.digest().toString());
            }
        }
    }

    private static ManifestRecord record(Digest digest, Digest stored, Manifest manifest) {
        List<Digest> references = new ArrayList<>(manifest.blobs());
        manifest.children().forEach(child -> references.add(child.digest()));
        return new ManifestRecord(digest, manifest.mediaType(), manifest.content().length,
                manifest.artifactType().orElse(null),
                manifest.subject().map(Descriptor::digest).orElse(null),
                manifest.annotations(), references, stored);
    }

    /**
     * Refuses an OCI manifest or index to a client whose {@code Accept} headers name media types but
     * not that one (distribution's rule, so old clients never get a document they cannot read). No
     * {@code Accept} at all, or a wildcard, accepts anything; Docker types are always served.
     */
    private static void requireAccepted(List<String> acceptHeaders, String mediaType) {
        boolean anyNamed = false;
        for (String header : acceptHeaders) {
            for (String value : header.split(",")) {
                String type = MediaTypes.essence(value);
                if (type.equals(mediaType) || type.equals("*/*") || type.equals("application/*")) {
                    return;
                }
                anyNamed |= !type.isEmpty();
            }
        }
        if (!anyNamed) {
            return;
        }
        switch (mediaType) {
            case MediaTypes.OCI_MANIFEST -> throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
                    "OCI manifest found, but accept header does not support OCI manifests", null);
            case MediaTypes.OCI_INDEX -> throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
                    "OCI index found, but accept header does not support OCI indexes", null);
            default -> { }
        }
    }

    static boolean matchesEtag(String ifNoneMatch, Digest digest) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals("\"" + digest + "\"") || tag.equals(digest.toString())) {
                return true;
            }
        }
        return false;
    }

    private static RegistryException unknown(RepositoryName name, Digest digest) {
        return ErrorCode.MANIFEST_UNKNOWN.exception(Map.of("Name", name.value(), "Revision", digest.toString()));
    }
}
