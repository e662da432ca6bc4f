package dev.berth.client;

import dev.berth.spec.Digest;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.Manifest;
import java.util.Map;

/**
 * A manifest as the registry served it, verified: {@code content} is the exact bytes (push them back
 * unchanged to keep the digest), {@code digest} was checked against the reference's digest or the
 * registry's {@code Docker-Content-Digest}, and {@code manifest} is the parsed and validated document.
 * For signed schema 1 the digest is that of the payload without signatures, as the registry computes
 * it. {@code content} is not copied: do not modify it.
 */
public record FetchedManifest(byte[] content, String mediaType, Digest digest, Manifest manifest) {

    /** The descriptor a parent index would list this manifest with. */
    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, content.length, null, Map.of(), null);
    }

    @Override
    public String toString() {
        return "FetchedManifest[" + mediaType + ", " + digest + ", " + content.length + " bytes]";
    }
}
