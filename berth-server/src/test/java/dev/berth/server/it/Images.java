package dev.berth.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Content for the integration tests: blobs, OCI and Docker manifests and indexes as JSON, and the
 * pushes that put them into a registry.
 *
 * <pre>{@code
 * Blob config = Images.blob("{\"architecture\":\"amd64\"}");
 * Images.pushBlob(api, repo, config);
 * byte[] manifest = Images.oddly(Images.ociManifest(config, layer));
 * Images.pushManifest(api, repo, "v1", MediaTypes.OCI_MANIFEST, manifest);
 * }</pre>
 */
final class Images {
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /** The OCI empty descriptor's content, {@code {}}, and its well-known digest. */
    static final Blob EMPTY_CONFIG = blob("{}");
    static final String EMPTY_CONFIG_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private Images() {
    }

    /** Content and its sha256 digest. */
    record Blob(byte[] content, Digest digest) {
        long size() {
            return content.length;
        }
    }

    /** An image pushed by {@link #pushImage}: its config and layer blobs and its manifest. */
    record Image(String repository, Blob config, Blob layer, byte[] manifest, Digest digest) {
    }

    static Blob blob(byte[] content) {
        return new Blob(content, Digest.sha256(content));
    }

    static Blob blob(String content) {
        return blob(content.getBytes(UTF_8));
    }

    /** {@code size} deterministic pseudo-random bytes, different for every {@code seed}. */
    static Blob randomBlob(long seed, int size) {
        try (InputStream in = new PatternStream(seed, size)) {
            return blob(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Digest sha512(byte[] content) {
        try {
            return Digest.parse("sha512:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes a blob monolithically ({@code POST ?digest=} with the body) and asserts 201. */
    static Blob pushBlob(Api api, String repository, Blob blob) {
        HttpResponse<byte[]> response = api.post("/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(), blob.content(),
                "Content-Type", MediaTypes.OCTET_STREAM);
        assertThat(response.statusCode()).as("monolithic push of %s to %s", blob.digest(), repository).isEqualTo(201);
        return blob;
    }

    static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    static ObjectNode descriptor(String mediaType, Blob blob) {
        return descriptor(mediaType, blob.digest(), blob.size());
    }

    /** The descriptor of a manifest document (for an index, or as a {@code subject}). */
    static ObjectNode manifestDescriptor(String mediaType, byte[] manifest) {
        return descriptor(mediaType, Digest.sha256(manifest), manifest.length);
    }

    static ObjectNode platform(ObjectNode descriptor, String os, String architecture) {
        descriptor.putObject("platform").put("architecture", architecture).put("os", os);
        return descriptor;
    }

    /** An OCI image manifest: config of {@code application/vnd.oci.image.config.v1+json}, gzip layers. */
    static ObjectNode ociManifest(Blob config, Blob... layers) {
        ObjectNode m = Api.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", descriptor(MediaTypes.OCI_CONFIG, config));
        ArrayNode array = m.putArray("layers");
        for (Blob layer : layers) {
            array.add(descriptor(LAYER, layer));
        }
        return m;
    }

    /**
     * An OCI 1.1 artifact: the empty config ({@link #EMPTY_CONFIG}, which must be pushed), an
     * {@code artifactType}, and annotations.
     */
    static ObjectNode artifact(String artifactType, Map<String, String> annotations, Blob... layers) {
        ObjectNode m = Api.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", artifactType);
        m.set("config", descriptor(MediaTypes.OCI_EMPTY, EMPTY_CONFIG));
        ArrayNode array = m.putArray("layers");
        for (Blob layer : layers) {
            array.add(descriptor("application/octet-stream", layer));
        }
        if (!annotations.isEmpty()) {
            ObjectNode a = m.putObject("annotations");
            annotations.forEach(a::put);
        }
        return m;
    }

    static ObjectNode dockerManifest(Blob config, Blob... layers) {
        ObjectNode m = Api.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        m.set("config", descriptor(MediaTypes.DOCKER_CONFIG, config));
        ArrayNode array = m.putArray("layers");
        for (Blob layer : layers) {
            array.add(descriptor(DOCKER_LAYER, layer));
        }
        return m;
    }

    static ObjectNode ociIndex(ObjectNode... manifests) {
        return index(MediaTypes.OCI_INDEX, manifests);
    }

    static ObjectNode dockerManifestList(ObjectNode... manifests) {
        return index(MediaTypes.DOCKER_MANIFEST_LIST, manifests);
    }

    private static ObjectNode index(String mediaType, ObjectNode... manifests) {
        ObjectNode m = Api.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        ArrayNode array = m.putArray("manifests");
        for (ObjectNode manifest : manifests) {
            array.add(manifest);
        }
        return m;
    }

    /** Compact JSON. */
    static byte[] bytes(JsonNode node) {
        try {
            return Api.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * JSON laid out the way no serializer would: tabs, CRLF, blank space before and after. A registry
     * that re-serialises instead of storing the pushed bytes changes them, and the digest with them.
     */
    static byte[] oddly(JsonNode node) {
        try {
            String pretty = Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
            return ("\n \t" + pretty.replace("\n", "\r\n\t ").replace(" : ", " :  ") + " \n\n").getBytes(UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> putManifest(Api api, String repository, String reference, String contentType, byte[] manifest) {
        return api.put("/v2/" + repository + "/manifests/" + reference, manifest, "Content-Type", contentType);
    }

    /** Puts a manifest and asserts 201 with its {@code Docker-Content-Digest} and {@code Location}. */
    static Digest pushManifest(Api api, String repository, String reference, String contentType, byte[] manifest) {
        HttpResponse<byte[]> response = putManifest(api, repository, reference, contentType, manifest);
        assertThat(response.statusCode()).as("PUT manifest %s:%s: %s", repository, reference,
                new String(response.body(), UTF_8)).isEqualTo(201);
        Digest digest = Digest.sha256(manifest);
        assertThat(Api.header(response, "Docker-Content-Digest")).isEqualTo(digest.toString());
        assertThat(Api.header(response, "Location")).endsWith("/v2/" + repository + "/manifests/" + digest);
        return digest;
    }

    /**
     * Pushes a small OCI image (config, one layer, manifest) to {@code repository}, tagged {@code tag}
     * unless that is {@code null}. {@code seed} makes the content unique.
     */
    static Image pushImage(Api api, String repository, String tag, long seed) {
        Blob config = pushBlob(api, repository, blob("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}"));
        Blob layer = pushBlob(api, repository, randomBlob(seed, 1000 + (int) (seed % 1000)));
        byte[] manifest = oddly(ociManifest(config, layer));
        Digest digest = Digest.sha256(manifest);
        pushManifest(api, repository, tag == null ? digest.toString() : tag, MediaTypes.OCI_MANIFEST, manifest);
        return new Image(repository, config, layer, manifest, digest);
    }

    /**
     * {@code length} deterministic bytes, generated as they are read: byte {@code i} depends only on
     * {@code seed} and {@code i}, however the stream is read, so large bodies never sit in memory.
     */
    static final class PatternStream extends InputStream {
        private final long seed;
        private final long length;
        private long position;

        PatternStream(long seed, long length) {
            this.seed = seed;
            this.length = length;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            return byteAt(position++) & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int n) {
            if (n == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int count = (int) Math.min(n, length - position);
            for (int i = 0; i < count; i++) {
                into[offset + i] = byteAt(position++);
            }
            return count;
        }

        private byte byteAt(long i) {
            return (byte) (mix(seed * 0x9E3779B97F4A7C15L + (i >>> 3)) >>> ((i & 7) * 8));
        }

        /** SplitMix64's finaliser. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** The digest of the whole stream, computed without holding it. */
        static Digest digest(long seed, long length) {
            MessageDigest sha256 = Digest.newSha256();
            try (InputStream in = new PatternStream(seed, length)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha256.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Digest.of(sha256.digest());
        }
    }
}
