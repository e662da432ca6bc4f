package dev.berth.server.auth.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.auth.Principal;
import dev.berth.server.auth.token.SigningKey.Algorithm;
import dev.berth.spec.auth.AccessEntry;
import dev.berth.spec.auth.Scope;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference registry, CNCF distribution 2.8 (Debian's {@code docker-registry}), accepts the tokens
 * berth issues when it trusts {@link SigningKey#certificateBundlePem()}: it matches the {@code x5c}
 * chain to its {@code rootcertbundle}, checks the signature, {@code iss}, {@code aud} and times, and
 * grants what {@code access} lists. Skipped, loudly, where the binary is not installed.
 */
class DistributionAcceptsTokensTest {
    private static final String SERVICE = "berth-compat-registry";
    private static final String ISSUER = "berth-compat-issuer";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path binary;

    @BeforeAll
    static void findDistribution() {
        binary = findBinary().orElse(null);
        if (binary == null) {
            String message = "SKIPPED: docker-registry not installed; berth tokens were NOT checked against CNCF distribution"
                    + " (apt-get install docker-registry)";
            System.out.println(message);
            System.err.println(message);
        }
    }

    @BeforeEach
    void requireDistribution() {
        Assumptions.assumeTrue(binary != null, "SKIPPED: docker-registry not installed");
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void distributionAcceptsBerthTokens(Algorithm algorithm, @TempDir Path dir) throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("key"), algorithm);
        TokenIssuer issuer = new TokenIssuer(key, ISSUER);
        Principal ci = new Principal.User("ci", java.util.Set.of(), false);

        try (Registry registry = Registry.start(dir, key)) {
            HttpResponse<String> challenge = registry.get("/v2/", null);
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                    assertThat(value).startsWith("Bearer ").contains("service=\"" + SERVICE + "\""));

            String base = issuer.issue(ci, SERVICE, List.of()).token();
            assertThat(registry.get("/v2/", base).statusCode()).as(registry.log()).isEqualTo(200);

            String catalog = issuer.issue(ci, SERVICE, List.of(AccessEntry.of(Scope.catalog(), Map.of()))).token();
            HttpResponse<String> listed = registry.get("/v2/_catalog", catalog);
            assertThat(listed.statusCode()).as(registry.log()).isEqualTo(200);
            assertThat(listed.body()).contains("\"repositories\"");
            assertThat(registry.get("/v2/_catalog", base).statusCode()).as("no catalog grant").isEqualTo(401);

            String blob = "/v2/team/app/blobs/sha256:" + "0".repeat(64);
            String pull = issuer.issue(ci, SERVICE, List.of(AccessEntry.of(Scope.repository("team/app", "pull"), Map.of()))).token();
            assertThat(registry.get(blob, pull).statusCode()).as("pull granted, blob unknown").isEqualTo(404);
            assertThat(registry.get(blob, catalog).statusCode()).as("no pull grant").isEqualTo(401);

            String otherService = issuer.issue(ci, "some-other-registry", List.of()).token();
            assertThat(registry.get("/v2/", otherService).statusCode()).as("wrong aud").isEqualTo(401);

            String otherIssuer = new TokenIssuer(key, "someone-else").issue(ci, SERVICE, List.of()).token();
            assertThat(registry.get("/v2/", otherIssuer).statusCode()).as("wrong iss").isEqualTo(401);

            SigningKey stranger = SigningKey.loadOrCreate(dir.resolve("stranger"), algorithm);
            String untrusted = new TokenIssuer(stranger, ISSUER).issue(ci, SERVICE, List.of()).token();
            assertThat(registry.get("/v2/", untrusted).statusCode()).as("untrusted key").isEqualTo(401);
        }
    }

    /** {@code -Dberth.docker-registry=/path} picks the binary (a path that does not exist forces the skip). */
    private static Optional<Path> findBinary() {
        String chosen = System.getProperty("berth.docker-registry");
        if (chosen != null) {
            return Optional.of(Path.of(chosen)).filter(Files::isExecutable);
        }
        Path standard = Path.of("/usr/bin/docker-registry");
        if (Files.isExecutable(standard)) {
            return Optional.of(standard);
        }
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, "docker-registry"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** One docker-registry process trusting {@code key}, killed on close. */
    private record Registry(Process process, URI base, Path logFile) implements AutoCloseable {

        static Registry start(Path dir, SigningKey key) throws Exception {
            Path bundle = Files.writeString(dir.resolve("rootcertbundle.pem"), key.certificateBundlePem());
            int port = freePort();
            Path config = Files.writeString(dir.resolve("config.yml"), """
                    version: 0.1
                    log:
                      level: info
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                    http:
                      addr: 127.0.0.1:%d
                      secret: berth-compat-test-secret
                    auth:
                      token:
                        realm: http://127.0.0.1:%d/token
                        service: %s
                        issuer: %s
                        rootcertbundle: %s
                    """.formatted(dir.resolve("storage"), port, freePort(), SERVICE, ISSUER, bundle));
            Path log = dir.resolve("registry.log");
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // docker-registry reads REGISTRY_* variables as configuration (REGISTRY_AUTH_FILE, …): none of ours.
            builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
            Registry registry = new Registry(builder.start(), URI.create("http://127.0.0.1:" + port), log);
            try {
                registry.awaitReady();
            } catch (Exception | AssertionError e) {
                registry.close();
                throw e;
            }
            return registry;
        }

        private void awaitReady() throws Exception {
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError("docker-registry exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    if (get("/v2/", null).statusCode() == 401) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
            throw new AssertionError("docker-registry did not start within " + START_TIMEOUT + ":\n" + log());
        }

        HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
