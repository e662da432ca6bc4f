package dev.berth.client.it;

import dev.berth.client.BlobSource;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.manifest.Schema1Manifest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Random;

/** A small image made up on the spot: a random layer, a config, and manifests of every kind naming them. */
record TestImage(byte[] layer, byte[] config) {

    static TestImage random(long seed, int layerSize) {
        byte[] layer = new byte[layerSize];
        new Random(seed).nextBytes(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(layer) + "\"]},\"config\":{},\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        return new TestImage(layer, config);
    }

    Digest layerDigest() {
        return Digest.sha256(layer);
    }

    Digest configDigest() {
        return Digest.sha256(config);
    }

    BlobSource layerSource() {
        return BlobSource.of(layer);
    }

    BlobSource configSource() {
        return BlobSource.of(config);
    }

    byte[] ociManifest() {
        return manifest(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, "application/vnd.oci.image.layer.v1.tar+gzip");
    }

    byte[] dockerManifest() {
        return manifest(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG, "application/vnd.docker.image.rootfs.diff.tar.gzip");
    }

    private byte[] manifest(String type, String configType, String layerType) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"config\":{\"mediaType\":\"" + configType
                + "\",\"digest\":\"" + configDigest() + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\""
                + layerType + "\",\"digest\":\"" + layerDigest() + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An OCI index listing {@code manifest} for linux/amd64. */
    static byte[] index(byte[] manifest) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256(manifest) + "\",\"size\":" + manifest.length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** A signed schema 1 manifest of {@code repository}, as docker wrote them (three-space indent, ES256). */
    byte[] schema1(String repository, String tag) {
        String unsigned = """
                {
                   "schemaVersion": 1,
                   "name": "%s",
                   "tag": "%s",
                   "architecture": "amd64",
                   "fsLayers": [
                      {
                         "blobSum": "%s"
                      }
                   ],
                   "history": [
                      {
                         "v1Compatibility": "{\\"id\\":\\"%s\\",\\"created\\":\\"2026-01-01T00:00:00Z\\"}"
                      }
                   ]
                }""".formatted(repository, tag, layerDigest(), layerDigest().hex());
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return Schema1Manifest.sign(unsigned.getBytes(StandardCharsets.UTF_8), generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
