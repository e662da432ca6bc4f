package dev.berth.bench;

import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Manifests#parse}, what every manifest PUT runs before anything is stored: JSON parsing, the
 * type decision, per-type validation and the sha256 of the body. The inputs look like what clients
 * push: a compact OCI image manifest of three layers (buildah, crane), a Docker schema2 manifest
 * indented the way docker writes it, and an OCI index of eight platforms (alpine's set).
 * {@link #sha256OciManifest} is the hashing share of {@link #parseOciManifest} alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ManifestBenchmark {
    private byte[] ociManifest;
    private byte[] dockerManifest;
    private byte[] ociIndex;
    private String ociManifestType;
    private String dockerManifestType;
    private String ociIndexType;

    @Setup
    public void setup() {
        ociManifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":1472},\
                "layers":[\
                {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":3623807},\
                {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":18341},\
                {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":1024}],\
                "annotations":{"org.opencontainers.image.created":"2024-05-01T10:00:00Z"}}"""
                .formatted(digest("config"), digest("layer-1"), digest("layer-2"), digest("layer-3"))
                .getBytes(StandardCharsets.UTF_8);
        dockerManifest = """
                {
                   "schemaVersion": 2,
                   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                   "config": {
                      "mediaType": "application/vnd.docker.container.image.v1+json",
                      "size": 2311,
                      "digest": "%s"
                   },
                   "layers": [
                      {
                         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                         "size": 29124181,
                         "digest": "%s"
                      },
                      {
                         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                         "size": 4512870,
                         "digest": "%s"
                      },
                      {
                         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                         "size": 235,
                         "digest": "%s"
                      }
                   ]
                }""".formatted(digest("config"), digest("layer-1"), digest("layer-2"), digest("layer-3"))
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder index = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[");
        String[][] platforms = {
            {"amd64", null}, {"arm", "v6"}, {"arm", "v7"}, {"arm64", "v8"},
            {"386", null}, {"ppc64le", null}, {"riscv64", null}, {"s390x", null},
        };
        for (int i = 0; i < platforms.length; i++) {
            index.append(i == 0 ? "" : ",")
                    .append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
                    .append(digest("platform-" + i)).append("\",\"size\":").append(1020 + i)
                    .append(",\"platform\":{\"architecture\":\"").append(platforms[i][0]).append("\",\"os\":\"linux\"")
                    .append(platforms[i][1] == null ? "" : ",\"variant\":\"" + platforms[i][1] + "\"")
                    .append("}}");
        }
        ociIndex = index.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        ociManifestType = MediaTypes.OCI_MANIFEST;
        dockerManifestType = MediaTypes.DOCKER_MANIFEST;
        ociIndexType = MediaTypes.OCI_INDEX;
    }

    private static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public Manifest parseOciManifest() {
        return Manifests.parse(ociManifest, ociManifestType);
    }

    @Benchmark
    public Manifest parseDockerManifest() {
        return Manifests.parse(dockerManifest, dockerManifestType);
    }

    @Benchmark
    public Manifest parseOciIndex() {
        return Manifests.parse(ociIndex, ociIndexType);
    }

    @Benchmark
    public Digest sha256OciManifest() {
        return Digest.sha256(ociManifest);
    }
}
