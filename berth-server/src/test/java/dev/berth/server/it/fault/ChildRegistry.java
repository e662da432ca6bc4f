package dev.berth.server.it.fault;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link ServerProcess} child JVM on a free loopback port, over a given data directory. {@link #kill}
 * is SIGKILL; {@link #close} makes sure the child is gone whatever happened.
 *
 * <p>Children run from a {@linkplain #snapshotClassPath snapshot} of the class path's directories, so
 * every restart runs the same build even if {@code target/classes} is recompiled meanwhile.
 */
final class ChildRegistry implements AutoCloseable {
    private static final long STARTUP_MILLIS = 30_000;

    private final Process process;
    private final int port;
    private final Path log;

    private ChildRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a child and waits until it listens; retries on a new port if another process took the one
     * picked.
     */
    static ChildRegistry start(String classPath, Path data, Path log) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(javaCommand(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", classPath, ServerProcess.class.getName(), data.toString(), Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            ChildRegistry child = new ChildRegistry(builder.start(), port, log);
            try {
                if (child.awaitReady()) {
                    return child;
                }
            } catch (RuntimeException | InterruptedException e) {
                child.close();
                throw e;
            }
            child.close();
            if (attempt == 3) {
                throw new IllegalStateException("the registry child did not start:\n" + child.logTail());
            }
        }
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_MILLIS);
        String ready = "READY " + port;
        while (System.nanoTime() < deadline) {
            if (logLines().contains(ready)) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the registry child did not report READY in " + STARTUP_MILLIS + " ms:\n" + logTail());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly} on Linux), then waits for the child to be gone and checks
     * that the signal is what ended it: exit status 128 + 9.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " survived SIGKILL");
        }
        if (process.exitValue() != 128 + 9) {
            throw new IllegalStateException("child " + process.pid() + " exited with " + process.exitValue()
                    + ", not by SIGKILL:\n" + logTail());
        }
    }

    String logTail() {
        List<String> lines = logLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * This JVM's class path with each directory (such as {@code target/classes}) copied under {@code into};
     * jars are used in place. Surefire may run tests from a manifest-only jar, so its own property, which
     * lists the real entries, comes first.
     */
    static String snapshotClassPath(Path into) throws IOException {
        String surefire = System.getProperty("surefire.test.class.path");
        String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        Files.createDirectories(into);
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.isDirectory(source)) {
                entries.add(entry);
                continue;
            }
            Path copy = into.resolve(Integer.toString(entries.size()));
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, copy.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            entries.add(copy.toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
