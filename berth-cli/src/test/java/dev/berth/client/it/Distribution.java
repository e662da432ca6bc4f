package dev.berth.client.it;

import dev.berth.spec.Registry;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * CNCF distribution 2.8.2 ({@code docker-registry}, Debian's package) as a child process on a free
 * loopback port, with deletes and schema 1 enabled and an {@code auth} section of the caller's
 * choosing. Where the binary is missing, {@link #requireBinary()} skips the test loudly.
 */
public final class Distribution implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final java.util.concurrent.atomic.AtomicBoolean ANNOUNCED = new java.util.concurrent.atomic.AtomicBoolean();

    public final Path dir;
    public final int port;
    private final Process process;
    private final Path log;

    private Distribution(Path dir, int port, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** {@code -Dberth.docker-registry=/path} picks the binary; otherwise /usr/bin or PATH. */
    public static Optional<Path> binary() {
        String chosen = System.getProperty("berth.docker-registry");
        if (chosen != null) {
            return Optional.of(Path.of(chosen)).filter(Files::isExecutable);
        }
        Path standard = Path.of("/usr/bin/docker-registry");
        if (Files.isExecutable(standard)) {
            return Optional.of(standard);
        }
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e, "docker-registry")).filter(Files::isExecutable).findFirst();
    }

    /** Skips the calling test when docker-registry is not installed, saying so on stdout and stderr (once). */
    public static Path requireBinary() {
        Optional<Path> binary = binary();
        if (binary.isEmpty() && !ANNOUNCED.getAndSet(true)) {
            String message = "SKIPPED: docker-registry (CNCF distribution) not installed; the client was NOT tested"
                    + " against it (apt-get install docker-registry)";
            System.out.println(message);
            System.err.println(message);
        }
        Assumptions.assumeTrue(binary.isPresent(), "SKIPPED: docker-registry not installed");
        return binary.get();
    }

    /** @param authYaml the {@code auth:} section, indented by two spaces, or empty for none */
    public static Distribution start(String authYaml) {
        return start(dir -> authYaml);
    }

    /** @param authYaml the {@code auth:} section, given the registry's own directory for the files it names */
    public static Distribution start(Function<Path, String> authYaml) {
        Path binary = requireBinary();
        Path dir = BerthRegistry.tempDir("distribution-it-");
        int port = freePort();
        String auth = authYaml.apply(dir);
        try {
            Path config = Files.writeString(dir.resolve("config.yml"), """
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                      secret: berth-client-it-secret
                    compatibility:
                      schema1:
                        enabled: true
                    %s
                    """.formatted(dir.resolve("storage"), port, auth.isEmpty() ? "" : "auth:\n" + auth));
            Path log = dir.resolve("registry.log");
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // docker-registry reads every REGISTRY_* variable as configuration: none of ours
            builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
            Distribution distribution = new Distribution(dir, port, builder.start(), log);
            distribution.awaitListening();
            return distribution;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Registry registry() {
        return Registry.parse("127.0.0.1:" + port);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("docker-registry did not start within " + START_TIMEOUT + ":\n" + log());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            Thread.currentThread().interrupt();
        }
        BerthRegistry.deleteTree(dir);
    }
}
