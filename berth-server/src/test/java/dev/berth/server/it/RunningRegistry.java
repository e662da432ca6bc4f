package dev.berth.server.it;

import dev.berth.server.BerthServer;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.auth.identity.UserStore;
import dev.berth.server.meta.Database;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.auth.BasicCredentials;
import dev.berth.spec.auth.Challenge;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
 * <p>With the system property {@code berth.it.auth=token} (a second surefire run of the registry
 * suite), registries started without an explicit {@code auth.mode} run with token authentication and
 * {@link #send} does what a client does: it answers a 401 challenge by fetching a token as an admin
 * user from the realm, and retries once. Tokens are cached per repository.
 *
 * <pre>{@code
 * try (RunningRegistry registry = RunningRegistry.start()) {
 *     HttpResponse<byte[]> r = registry.send(registry.request("/v2/").GET());
 * }
 * }</pre>
 */
public final class RunningRegistry implements AutoCloseable {
    private static final String ADMIN = "it-admin";
    private static final String ADMIN_PASSWORD = "it-admin-password:with-colon";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BerthServer server;
    private final BerthConfig config;
    private final Path data;
    private final boolean tokenAuth;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private RunningRegistry(BerthServer server, BerthConfig config, Path data, boolean tokenAuth) {
        this.server = server;
        this.config = config;
        this.data = data;
        this.tokenAuth = tokenAuth;
    }

    /** Whether this is the token-auth run of the suite. */
    public static boolean tokenSuite() {
        return "token".equals(System.getProperty("berth.it.auth"));
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
            boolean tokenAuth = tokenSuite() && !overrides.containsKey("auth.mode");
            if (tokenAuth) {
                settings.put("auth.mode", "token");
                try (Database db = Database.sqlite(data.resolve("berth.db"))) {
                    new UserStore(db).add(ADMIN, ADMIN_PASSWORD, true, List.of());
                }
            }
            BerthConfig config = ConfigLoader.load(null, Map.of(), settings);
            return new RunningRegistry(BerthServer.start(config), config, data, tokenAuth);
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
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends a request; in a token-auth run, with a token, fetched when challenged. */
    public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        if (!tokenAuth) {
            return exchange(request, handler);
        }
        URI uri = request.build().uri();
        String repository = RegistryPath.match(uri.getRawPath()).map(RegistryPath::name).orElse("");
        // a mount source needs its own grant, as a client asks for it: key the cache by both
        String key = repository + (uri.getRawQuery() != null && uri.getRawQuery().contains("from=") ? "?" + uri.getRawQuery() : "");
        String token = tokens.get(key);
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        HttpResponse<T> response = exchange(request, handler);
        Optional<Challenge> challenge = response.headers().firstValue("WWW-Authenticate")
                .flatMap(header -> Challenge.parse(header).stream().filter(c -> c.scheme().equals("bearer")).findFirst());
        if (response.statusCode() != 401 || challenge.isEmpty()) {
            return response;
        }
        token = fetchToken(challenge.get(), repository);
        tokens.put(key, token);
        request.setHeader("Authorization", "Bearer " + token);
        return exchange(request, handler);
    }

    /**
     * In a token-auth run, the {@code Authorization} value for a request to {@code target} (a raw path,
     * possibly invalid), as a client holding a token for its repository would send it; else empty.
     */
    public Optional<String> authorization(String target) {
        if (!tokenAuth) {
            return Optional.empty();
        }
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String repository = RegistryPath.match(path).map(RegistryPath::name).filter(RepositoryName::isValid).orElse("");
        String host = URI.create(server.url()).getAuthority();
        Challenge challenge = Challenge.bearer(Map.of("realm", server.url() + "/token", "service", host));
        return Optional.of("Bearer " + tokens.computeIfAbsent(repository, name -> fetchToken(challenge, name)));
    }

    /** A token for everything the challenge asks, all actions on the repository, and the catalog. */
    private String fetchToken(Challenge challenge, String repository) {
        StringBuilder query = new StringBuilder("?service=").append(encode(challenge.param("service")));
        List<String> scopes = new ArrayList<>(List.of("registry:catalog:*"));
        if (challenge.param("scope") != null) {
            scopes.addAll(List.of(challenge.param("scope").split(" ")));
        }
        if (RepositoryName.isValid(repository)) {
            scopes.add("repository:" + repository + ":*");
        }
        scopes.forEach(scope -> query.append("&scope=").append(encode(scope)));
        HttpResponse<byte[]> response = exchange(HttpRequest.newBuilder(URI.create(challenge.param("realm") + query))
                .header("Authorization", new BasicCredentials(ADMIN, ADMIN_PASSWORD).header()), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + new String(response.body()));
        }
        try {
            return JSON.readTree(response.body()).get("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public HttpClient client() {
        return client;
    }

    public Path dataDirectory() {
        return data;
    }

    /**
     * Stops this server, keeping its data, lets {@code whileStopped} change the data directory, and
     * starts another server on the same data and settings.
     */
    public RunningRegistry restart(Consumer<Path> whileStopped) {
        server.close();
        whileStopped.accept(data);
        return new RunningRegistry(BerthServer.start(config), config, data, tokenAuth);
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
