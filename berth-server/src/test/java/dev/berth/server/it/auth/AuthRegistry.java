package dev.berth.server.it.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.server.BerthServer;
import dev.berth.server.auth.identity.UserStore;
import dev.berth.server.auth.token.SigningKey;
import dev.berth.server.it.RunningRegistry;
import dev.berth.server.meta.Database;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A {@link RunningRegistry} with authentication on, and what the auth tests do with it: users in its
 * database, tokens from its {@code /token} endpoint, images pushed with credentials, and the exact
 * challenges it must answer with.
 *
 * <pre>{@code
 * try (AuthRegistry registry = AuthRegistry.token(POLICY, Map.of())) {
 *     registry.addUser("alice", "pw", false);
 *     String token = registry.token(AuthRegistry.basic("alice", "pw"), "repository:alice/app:pull,push").token();
 *     registry.pushImage("alice/app", "v1", AuthRegistry.bearer(token));
 * }
 * }</pre>
 *
 * <p>Every response that passes through it is checked for what every registry response needs: a
 * status below 500 and {@code Docker-Distribution-API-Version: registry/2.0}.
 */
final class AuthRegistry implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    private static final AtomicLong SEEDS = new AtomicLong(1);

    private final RunningRegistry registry;
    private final Path scratch;
    private final Database db;
    private final UserStore users;

    private AuthRegistry(RunningRegistry registry, Path scratch, Database db) {
        this.registry = registry;
        this.scratch = scratch;
        this.db = db;
        this.users = db == null ? null : new UserStore(db);
    }

    /**
     * {@code auth.mode=token} with {@code policyYaml} as the rules file ({@code null}: no file, the
     * default rules) and further settings.
     */
    static AuthRegistry token(String policyYaml, Map<String, String> settings) {
        Path scratch = scratch();
        Map<String, String> all = new HashMap<>(settings);
        all.put("auth.mode", "token");
        all.put("auth.policy", scratch.resolve("policy.yml").toString());
        if (policyYaml != null) {
            write(scratch.resolve("policy.yml"), policyYaml);
        }
        RunningRegistry registry = RunningRegistry.start(all);
        return new AuthRegistry(registry, scratch, Database.sqlite(registry.dataDirectory().resolve("berth.db")));
    }

    /** {@code auth.mode=htpasswd} with this htpasswd file and rules ({@code null}: none). */
    static AuthRegistry htpasswd(Path htpasswdFile, String policyYaml, Map<String, String> settings) {
        Path scratch = scratch();
        Map<String, String> all = new HashMap<>(settings);
        all.put("auth.mode", "htpasswd");
        all.put("auth.htpasswd", htpasswdFile.toString());
        all.put("auth.policy", scratch.resolve("policy.yml").toString());
        if (policyYaml != null) {
            write(scratch.resolve("policy.yml"), policyYaml);
        }
        return new AuthRegistry(RunningRegistry.start(all), scratch, null);
    }

    /** No authentication (said explicitly, so no test run can turn it on), with further settings (rate limits). */
    static AuthRegistry open(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("auth.mode", "none");
        return new AuthRegistry(RunningRegistry.start(all), scratch(), null);
    }

    RunningRegistry raw() {
        return registry;
    }

    String url() {
        return registry.url();
    }

    int port() {
        return java.net.URI.create(registry.url()).getPort();
    }

    /** The token realm the registry names in its challenges. */
    String realm() {
        return registry.url() + "/token";
    }

    /** The token service (audience) the registry names in its challenges. */
    String service() {
        return "127.0.0.1:" + port();
    }

    /** A directory of this test's own, deleted on close. */
    Path scratchDirectory() {
        return scratch;
    }

    Path policyFile() {
        return scratch.resolve("policy.yml");
    }

    UserStore users() {
        return users;
    }

    Database database() {
        return db;
    }

    void addUser(String name, String password, boolean admin, String... groups) {
        users.add(name, password, admin, Set.of(groups));
    }

    /** The token signing key the registry created under its data directory. */
    SigningKey signingKey() {
        try {
            return SigningKey.loadOrCreate(registry.dataDirectory().resolve(BerthServer.AUTH_DIRECTORY), SigningKey.Algorithm.ES256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // HTTP

    HttpRequest.Builder request(String pathOrUrl) {
        return registry.request(pathOrUrl);
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = registry.send(request);
        check(response);
        return response;
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send(withHeaders(request(path).GET(), headers));
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send(withHeaders(request(path).HEAD(), headers));
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).PUT(BodyPublishers.ofByteArray(body)), headers));
    }

    HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).POST(body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body)), headers));
    }

    HttpResponse<byte[]> delete(String path, String... headers) {
        return send(withHeaders(request(path).DELETE(), headers));
    }

    /** What every response must satisfy, asserted. */
    static void check(HttpResponse<?> response) {
        String what = response.request().method() + " " + response.request().uri();
        assertThat(response.statusCode()).as("status of %s (never a 5xx)", what).isLessThan(500);
        assertThat(response.headers().allValues(API_VERSION_HEADER)).as("%s header of %s", API_VERSION_HEADER, what)
                .containsExactly("registry/2.0");
    }

    static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                request.header(headers[i], headers[i + 1]);
            }
        }
        return request;
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(response), e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, UTF_8);
    }

    // Assertions

    /**
     * Asserts a registry error: {@code status}, JSON {@code {"errors":[{"code":code,"message":…}]}}
     * (nothing for HEAD). Returns the first error entry.
     */
    static JsonNode assertError(HttpResponse<byte[]> response, int status, String code) {
        String what = response.request().method() + " " + response.request().uri();
        assertThat(response.statusCode()).as("status of %s, body %s", what, text(response)).isEqualTo(status);
        if (response.request().method().equals("HEAD")) {
            assertThat(response.body()).as("HEAD body of %s", what).isEmpty();
            return null;
        }
        assertThat(header(response, "Content-Type")).as("Content-Type of %s", what).startsWith("application/json");
        JsonNode errors = json(response).get("errors");
        assertThat(errors).as("errors of %s: %s", what, text(response)).isNotNull();
        assertThat(errors.isArray() && !errors.isEmpty()).as("errors of %s is a non-empty array", what).isTrue();
        JsonNode first = errors.get(0);
        assertThat(first.path("code").asText()).as("error code of %s (%s)", what, first).isEqualTo(code);
        assertThat(first.path("message").asText()).as("error message of %s", what).isNotBlank();
        return first;
    }

    /** The exact Bearer challenge this registry sends: {@code scope} and {@code error} left out when {@code null}. */
    String bearerChallenge(String scope, String error) {
        return "Bearer realm=\"" + realm() + "\",service=\"" + service() + "\""
                + (scope == null ? "" : ",scope=\"" + scope + "\"")
                + (error == null ? "" : ",error=\"" + error + "\"");
    }

    /**
     * Asserts 401 {@code UNAUTHORIZED} with exactly one {@code WWW-Authenticate}, the Bearer challenge
     * for {@code scope} and {@code error}. Returns the first error entry.
     */
    JsonNode assertBearerChallenge(HttpResponse<byte[]> response, String scope, String error) {
        JsonNode entry = assertError(response, 401, "UNAUTHORIZED");
        assertThat(response.headers().allValues("WWW-Authenticate")).as("challenge of %s %s", response.request().method(),
                response.request().uri()).containsExactly(bearerChallenge(scope, error));
        return entry;
    }

    /** Asserts an OAuth2 error of the token endpoint: {@code {"error":error,"error_description":…}}. */
    static JsonNode assertTokenError(HttpResponse<byte[]> response, int status, String error) {
        assertThat(response.statusCode()).as("status of %s, body %s", response.request().uri(), text(response)).isEqualTo(status);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).as("error of %s", text(response)).isEqualTo(error);
        assertThat(body.path("error_description").asText()).isNotBlank();
        return body;
    }

    // Tokens

    /** A parsed {@code /token} answer. */
    record TokenReply(HttpResponse<byte[]> response, JsonNode body) {
        String token() {
            return body.path("token").asText();
        }

        JsonNode header() {
            return jwtPart(token(), 0);
        }

        JsonNode claims() {
            return jwtPart(token(), 1);
        }

        JsonNode access() {
            return claims().get("access");
        }

        String authorization() {
            return bearer(token());
        }
    }

    static JsonNode jwtPart(String jwt, int part) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("a compact JWS: %s", jwt).hasSize(3);
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[part]));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code GET /token?service=…&scope=…} as this registry's clients send it. */
    HttpResponse<byte[]> tokenRequest(String authorization, Map<String, List<String>> query) {
        StringBuilder url = new StringBuilder("/token");
        char separator = '?';
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            for (String value : parameter.getValue()) {
                url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        return send(withHeaders(request(url.toString()).GET(), "Authorization", authorization));
    }

    /** A token for these scopes ({@code authorization} {@code null}: anonymous); asserts 200. */
    TokenReply token(String authorization, String... scopes) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("service", List.of(service()));
        query.put("scope", List.of(scopes));
        return okToken(tokenRequest(authorization, query));
    }

    /** {@code POST /token} with a form of name, value pairs. */
    HttpResponse<byte[]> tokenPost(String... form) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < form.length; i += 2) {
            if (!body.isEmpty()) {
                body.append('&');
            }
            body.append(encode(form[i])).append('=').append(encode(form[i + 1]));
        }
        return post("/token", body.toString().getBytes(UTF_8), "Content-Type", "application/x-www-form-urlencoded");
    }

    static TokenReply okToken(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as("token request %s: %s", response.request().uri(), text(response)).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        return new TokenReply(response, json(response));
    }

    /** The access claim as {@code type:name:actions} strings, for compact assertions. */
    static List<String> accessOf(JsonNode access) {
        assertThat(access).as("access claim").isNotNull();
        assertThat(access.isArray()).as("access claim %s is an array", access).isTrue();
        List<String> scopes = new ArrayList<>();
        for (JsonNode entry : access) {
            List<String> actions = new ArrayList<>();
            entry.path("actions").forEach(a -> actions.add(a.asText()));
            scopes.add(entry.path("type").asText()
                    + (entry.has("class") ? "(" + entry.get("class").asText() + ")" : "")
                    + ":" + entry.path("name").asText() + ":" + String.join(",", actions));
        }
        return scopes;
    }

    // Content

    /** A pushed image: its manifest bytes, media type and digest. */
    record Image(String repository, byte[] manifest, Digest digest, Digest config, Digest layer) {
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pushes a blob monolithically with {@code authorization}; asserts 201. */
    Digest pushBlob(String repository, byte[] content, String authorization) {
        Digest digest = Digest.sha256(content);
        HttpResponse<byte[]> response = post("/v2/" + repository + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", MediaTypes.OCTET_STREAM, "Authorization", authorization);
        assertThat(response.statusCode()).as("push of %s to %s: %s", digest, repository, text(response)).isEqualTo(201);
        return digest;
    }

    /** An OCI manifest of a unique small config and layer, not pushed. */
    static byte[][] content() {
        long seed = SEEDS.getAndIncrement() + System.nanoTime();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}").getBytes(UTF_8);
        byte[] layer = ("layer " + seed).getBytes(UTF_8);
        return new byte[][] {config, layer};
    }

    static byte[] manifest(byte[] config, byte[] layer) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.putObject("config").put("mediaType", MediaTypes.OCI_CONFIG).put("digest", Digest.sha256(config).toString())
                .put("size", config.length);
        m.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                .put("digest", Digest.sha256(layer).toString()).put("size", layer.length);
        return bytes(m);
    }

    /** Pushes a small OCI image tagged {@code tag} with {@code authorization}; asserts every step. */
    Image pushImage(String repository, String tag, String authorization) {
        byte[][] content = content();
        Digest config = pushBlob(repository, content[0], authorization);
        Digest layer = pushBlob(repository, content[1], authorization);
        byte[] manifest = manifest(content[0], content[1]);
        HttpResponse<byte[]> response = put("/v2/" + repository + "/manifests/" + tag, manifest,
                "Content-Type", MediaTypes.OCI_MANIFEST, "Authorization", authorization);
        assertThat(response.statusCode()).as("PUT manifest %s:%s: %s", repository, tag, text(response)).isEqualTo(201);
        Digest digest = Digest.sha256(manifest);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest.toString());
        return new Image(repository, manifest, digest, config, layer);
    }

    // Files

    static Path scratch() {
        try {
            return Files.createTempDirectory("berth-auth-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (db != null) {
                db.close();
            }
        } finally {
            registry.close();
            deleteTree(scratch);
        }
    }

    static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
