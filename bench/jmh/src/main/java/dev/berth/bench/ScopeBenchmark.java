package dev.berth.bench;

import dev.berth.spec.auth.Challenge;
import dev.berth.spec.auth.Scope;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The token protocol's text: {@link Scope#parse} of one scope (each {@code scope} parameter of a
 * token request), {@link Scope#parseAll} of a space-separated list with a repeated resource to merge
 * (an OAuth2 POST, or a copy's source and destination), and {@link Challenge#parse} of the
 * {@code WWW-Authenticate} header a client reads on every 401.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ScopeBenchmark {
    private String scope;
    private List<String> scopes;
    private String challenge;

    @Setup
    public void setup() {
        scope = "repository:library/alpine:pull,push";
        scopes = List.of("repository:library/alpine:pull repository:team/app:pull,push repository:library/alpine:push"
                + " registry:catalog:*");
        challenge = "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                + "scope=\"repository:library/alpine:pull,push\",error=\"insufficient_scope\"";
    }

    @Benchmark
    public Scope parseScope() {
        return Scope.parse(scope);
    }

    @Benchmark
    public List<Scope> parseScopes() {
        return Scope.parseAll(scopes);
    }

    @Benchmark
    public List<Challenge> parseChallenge() {
        return Challenge.parse(challenge);
    }
}
