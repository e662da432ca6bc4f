package dev.berth.bench;

import dev.berth.spec.RegistryPath;
import dev.berth.spec.RepositoryName;
import java.util.Optional;
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
 * The first steps of every request's pipeline: {@link RegistryPath#match} of the raw path against the
 * endpoints in their order, and {@link RepositoryName#parse} of the name it yields. A manifest path
 * matches on the fourth pattern tried; a blob path, the bulk of a pull, on the seventh.
 * {@link #route} is both steps together, as the dispatcher runs them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RoutingBenchmark {
    private String manifestPath;
    private String blobPath;
    private String name;

    @Setup
    public void setup() {
        manifestPath = "/v2/library/alpine/manifests/3.17";
        blobPath = "/v2/library/alpine/blobs/sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c";
        name = "library/alpine";
    }

    @Benchmark
    public RepositoryName parseName() {
        return RepositoryName.parse(name);
    }

    @Benchmark
    public Optional<RegistryPath> matchManifest() {
        return RegistryPath.match(manifestPath);
    }

    @Benchmark
    public Optional<RegistryPath> matchBlob() {
        return RegistryPath.match(blobPath);
    }

    @Benchmark
    public RepositoryName route() {
        return RepositoryName.parse(RegistryPath.match(manifestPath).orElseThrow().name());
    }
}
