package dev.berth.bench;

import dev.berth.server.auth.Principal;
import dev.berth.server.auth.token.IssuedToken;
import dev.berth.server.auth.token.SigningKey;
import dev.berth.server.auth.token.TokenIssuer;
import dev.berth.server.auth.token.TokenVerifier;
import dev.berth.server.auth.token.TrustedKeys;
import dev.berth.server.auth.token.VerifiedToken;
import dev.berth.spec.auth.AccessEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Registry tokens: {@link TokenIssuer#issue} (what the token endpoint does per request: claims, a
 * random {@code jti}, the signature, compact serialization) and {@link TokenVerifier#verify} (what
 * every request carrying a bearer token costs the registry), for berth's own ES256 and RS256 keys.
 * Tokens carry an {@code x5c} of the signing certificate and grant pull and push on one repository,
 * as berth issues them.
 *
 * <p>{@link #verifyCached} repeats one token on one verifier: the cache hit (a sha256 of the token and
 * a map look-up) that a client reusing its token gets. {@link #verifyUncached} verifies the same token
 * on a new verifier each time, so every call takes the miss path: shape check, JWS parsing, the
 * {@code x5c} certificate decoded and matched against the trusted one, the signature check, the
 * claims, and the insertion into the cache. The verifier's cache size is not public, and building a
 * verifier (an empty map and a one-element set) is noise next to a signature check, so this is the
 * honest public way to measure a first verification.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TokenBenchmark {
    private static final String ISSUER = "berth";
    private static final String SERVICE = "registry.example.com";

    @Param({"ES256", "RS256"})
    public SigningKey.Algorithm algorithm;

    private Path keyDir;
    private TokenIssuer issuer;
    private TrustedKeys trusted;
    private TokenVerifier verifier;
    private Principal user;
    private List<AccessEntry> access;
    private String token;

    @Setup
    public void setup() throws IOException {
        keyDir = Files.createTempDirectory("berth-bench-token");
        SigningKey key = SigningKey.loadOrCreate(keyDir, algorithm);
        // A day, not the default five minutes: long runs must not verify an expired token.
        issuer = new TokenIssuer(key, ISSUER, Duration.ofDays(1), Clock.systemUTC(), null);
        trusted = TrustedKeys.of(key);
        verifier = newVerifier();
        user = new Principal.User("alice", Set.of("developers"), false);
        access = List.of(new AccessEntry("repository", "team/app", List.of("pull", "push"), Map.of()));
        token = issuer.issue(user, SERVICE, access).token();
        verifier.verify(token); // fails the setup on a token the verifier refuses, and fills the cache
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(keyDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private TokenVerifier newVerifier() {
        return new TokenVerifier(trusted, Set.of(ISSUER), SERVICE);
    }

    @Benchmark
    public IssuedToken sign() {
        return issuer.issue(user, SERVICE, access);
    }

    @Benchmark
    public VerifiedToken verifyCached() {
        return verifier.verify(token);
    }

    @Benchmark
    public VerifiedToken verifyUncached() {
        return newVerifier().verify(token);
    }
}
