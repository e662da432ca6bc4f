package dev.berth.bench;

import dev.berth.spec.Digest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Digest}: parsing the digest of every blob and manifest-by-digest URL, and sha256 over
 * in-memory content, from a small body (4 KiB) to a large manifest or a blob chunk (1 MiB): the JDK's
 * SHA-256, which the JIT replaces with the CPU's SHA instructions where it has them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DigestBenchmark {

    @State(Scope.Benchmark)
    public static class Text {
        String digest = "sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c";
    }

    @State(Scope.Benchmark)
    public static class Content {
        @Param({"4096", "1048576"})
        public int size;
        byte[] bytes;

        @Setup
        public void setup() {
            bytes = new byte[size];
            new Random(42).nextBytes(bytes);
        }
    }

    @Benchmark
    public Digest parse(Text in) {
        return Digest.parse(in.digest);
    }

    @Benchmark
    public Digest sha256(Content in) {
        return Digest.sha256(in.bytes);
    }
}
