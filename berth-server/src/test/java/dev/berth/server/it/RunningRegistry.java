package dev.berth.server.it;

import dev.berth.server.BerthServer;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real berth registry for a test: listening on a free loopback port over HTTP, with its own data
 * directory, plus an HTTP client to talk to it. Close it to stop the server and delete the data.
 *
 * <pre>{@code
 * try (RunningRegistry registry = RunningRegistry.start()) {
 *     HttpResponse<byte[]> r = registry.send(registry.request("/v2/").GET());
 * }
 * }</pre>
 */
public final class RunningRegistry implements AutoCloseable {
    private final BerthServer server;
    private final Path data;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private RunningRegistry(BerthServer server, Path data) {
        this.server = server;
        this.data = data;
    }

    public static RunningRegistry start() {
        return start(Map.of());
    }

    /** Starts with configuration overrides, e.g. {@code Map.of("registry.deleteEnabled", "false")}. */
    public static RunningRegistry start(Map<String, String> overrides) {
        try {
            Path data = Files.createTempDirectory("berth-it-");
            Map<String, String> settings = new HashMap<>(overrides);
            settings.putIfAbsent("http.addr", "127.0.0.1:0");
            settings.put("storage.path", data.toString());
            BerthConfig config = ConfigLoader.load(null, Map.of(), settings);
            return new RunningRegistry(BerthServer.start(config), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return server.url();
    }

    public URI uri(String pathAndQuery) {
        return URI.create(pathAndQuery.startsWith("http") ? pathAndQuery : server.url() + pathAndQuery);
    }

    /** A request builder for a path (or an absolute URL, such as a {@code Location}). */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
    }

    public HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient client() {
        return client;
    }

    public Path dataDirectory() {
        return data;
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
