package dev.berth.client.internal.ops;

import dev.berth.client.FetchedManifest;
import dev.berth.client.RegistryClientException;
import dev.berth.client.internal.http.Body;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Reference;
import dev.berth.spec.RegistryException;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Manifest GET, HEAD, PUT and DELETE. GET and HEAD offer every manifest type, each as its own
 * {@code Accept} line, as docker and skopeo send them; what comes back is parsed, validated and
 * verified against the reference's digest, or against {@code Docker-Content-Digest} when fetched by tag.
 */
public final class ManifestOps {
    /** Every manifest type a registry may serve, preferred first. */
    public static final List<String> ACCEPT = List.of(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_SCHEMA1_SIGNED,
            MediaTypes.DOCKER_SCHEMA1);
    private static final String DIGEST_HEADER = "Docker-Content-Digest";

    private final Calls calls;

    public ManifestOps(Calls calls) {
        this.calls = calls;
    }

    public FetchedManifest fetch(Reference ref) {
        Request request = Calls.request("GET", ref.registry(), RegistryPath.manifest(ref.name(), ref.identifier()),
                List.of(ref.scope("pull"))).withHeaderValues("Accept", ACCEPT);
        byte[] content;
        Optional<String> contentType;
        Optional<String> served;
        try (Response response = calls.send(request, 200)) {
            contentType = response.header("Content-Type");
            served = response.header(DIGEST_HEADER);
            content = response.bytes(Manifests.MAX_BYTES);
        } catch (IOException e) {
            throw new RegistryClientException("GET " + request.uri() + ": " + Calls.describe(e), e);
        }
        Manifest manifest;
        try {
            manifest = Manifests.parse(content, contentType.orElse(null));
        } catch (RegistryException e) {
            throw new RegistryClientException(0, e.code().name(), ref + ": the registry sent an invalid manifest: "
                    + e.getMessage() + (e.detail() == null ? "" : " (" + e.detail() + ")"), null, null);
        }
        Digest digest = manifest.digest();
        if (ref instanceof Reference.ByDigest byDigest) {
            Digest expected = byDigest.digest();
            if (!expected.algorithm().equals(digest.algorithm()) && !manifest.mediaType().equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
                digest = expected.recompute(content);
            }
            if (!digest.equals(expected)) {
                throw mismatch(ref, expected, digest);
            }
        }
        if (served.isPresent()) {
            Digest claimed = parseDigest(served.get(), ref);
            Digest comparable = claimed.algorithm().equals(digest.algorithm()) ? digest : claimed.recompute(content);
            if (!claimed.equals(comparable)) {
                throw mismatch(ref, claimed, comparable);
            }
        }
        return new FetchedManifest(content, manifest.mediaType(), digest, manifest);
    }

    /** HEAD: digest, type and size without the body; falls back to GET when the registry sends no digest. */
    public Descriptor head(Reference ref) {
        Request request = Calls.request("HEAD", ref.registry(), RegistryPath.manifest(ref.name(), ref.identifier()),
                List.of(ref.scope("pull"))).withHeaderValues("Accept", ACCEPT);
        Response response = calls.exchange(request);
        try (response) {
            if (response.status() == 404) {
                throw new RegistryClientException(404, ErrorCode.MANIFEST_UNKNOWN.name(),
                        "HEAD " + request.uri() + ": 404 MANIFEST_UNKNOWN: manifest unknown", null, null);
            }
            if (response.status() != 200) {
                throw calls.failure(response);
            }
            Optional<String> digest = response.header(DIGEST_HEADER);
            Optional<String> type = response.header("Content-Type").map(MediaTypes::essence);
            long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (digest.isPresent() && type.isPresent() && size >= 0) {
                Digest parsed = parseDigest(digest.get(), ref);
                if (ref instanceof Reference.ByDigest byDigest && !parsed.equals(byDigest.digest())) {
                    throw mismatch(ref, byDigest.digest(), parsed);
                }
                return new Descriptor(type.get(), parsed, size, null, Map.of(), null);
            }
        }
        return fetch(ref).descriptor();
    }

    /** PUT by tag or digest; returns the digest, computed here and checked against the registry's. */
    public Digest push(Reference ref, byte[] content, String mediaType) {
        Digest digest;
        try {
            digest = Manifests.parse(content, mediaType).digest();
        } catch (RegistryException e) {
            digest = Digest.sha256(content); // let the registry judge what we cannot parse
        }
        if (ref instanceof Reference.ByDigest byDigest && !byDigest.digest().equals(digest)) {
            throw new IllegalArgumentException("manifest content has digest " + digest + ", not " + byDigest.digest());
        }
        Request request = Calls.request("PUT", ref.registry(), RegistryPath.manifest(ref.name(), ref.identifier()),
                List.of(ref.scope("pull", "push"))).withBody(new Body.Bytes(content)).withHeader("Content-Type", mediaType);
        try (Response response = calls.send(request, 201, 200)) {
            Optional<String> stored = response.header(DIGEST_HEADER);
            if (stored.isPresent() && !parseDigest(stored.get(), ref).equals(digest)) {
                throw new RegistryClientException(ref + ": the registry stored the manifest as " + stored.get()
                        + ", expected " + digest);
            }
        }
        return digest;
    }

    /** Deletes the manifest a reference names (a tag is resolved to its digest first); returns that digest. */
    public Digest delete(Reference ref) {
        Digest digest = ref instanceof Reference.ByDigest byDigest ? byDigest.digest() : head(ref).digest();
        Request request = Calls.request("DELETE", ref.registry(), RegistryPath.manifest(ref.name(), digest),
                List.of(ref.scope("delete")));
        calls.send(request, 202, 200, 204).close();
        return digest;
    }

    private static Digest parseDigest(String header, Reference ref) {
        try {
            return Digest.parse(header.strip());
        } catch (RegistryException e) {
            throw new RegistryClientException(ref + ": the registry sent an invalid " + DIGEST_HEADER + ": " + header);
        }
    }

    private static RegistryClientException mismatch(Reference ref, Digest expected, Digest actual) {
        return new RegistryClientException(0, ErrorCode.DIGEST_INVALID.name(), ref + ": manifest content has digest "
                + actual + ", expected " + expected, null, null);
    }
}
