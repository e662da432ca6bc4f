package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry API over HTTP for the integration tests, on a {@link RunningRegistry}. Every response
 * that goes through it is checked for what every registry response must have, whatever the test is
 * about: a status below 500 (no input may make the registry fail) and
 * {@code Docker-Distribution-API-Version: registry/2.0}.
 *
 * <pre>{@code
 * Api api = new Api(registry);
 * Api.assertError(api.get("/v2/" + repo + "/manifests/nope"), 404, "MANIFEST_UNKNOWN");
 * }</pre>
 */
final class Api {
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final AtomicInteger REPOSITORIES = new AtomicInteger();

    private final RunningRegistry registry;

    Api(RunningRegistry registry) {
        this.registry = registry;
    }

    RunningRegistry registry() {
        return registry;
    }

    /** A repository name no other test uses: {@code it/<prefix>-<n>}. */
    static String uniqueRepository(String prefix) {
        return "it/" + prefix + "-" + REPOSITORIES.incrementAndGet();
    }

    HttpRequest.Builder request(String pathOrUrl) {
        return registry.request(pathOrUrl);
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = registry.send(request);
        check(response);
        return response;
    }

    <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> handler) {
        HttpResponse<T> response = registry.send(request, handler);
        check(response);
        return response;
    }

    /** What every response must satisfy, asserted. */
    static void check(HttpResponse<?> response) {
        String what = response.request().method() + " " + response.request().uri();
        assertThat(response.statusCode()).as("status of %s (never a 5xx)", what).isLessThan(500);
        assertThat(response.headers().allValues(API_VERSION_HEADER)).as("%s header of %s", API_VERSION_HEADER, what)
                .containsExactly("registry/2.0");
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send(withHeaders(request(path).GET(), headers));
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send(withHeaders(request(path).HEAD(), headers));
    }

    HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE());
    }

    HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).POST(publisher(body)), headers));
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).PUT(publisher(body)), headers));
    }

    HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).method("PATCH", publisher(body)), headers));
    }

    HttpResponse<byte[]> method(String method, String path, byte[] body, String... headers) {
        return send(withHeaders(request(path).method(method, publisher(body)), headers));
    }

    /** Follows {@code Link: <…>; rel="next"} from {@code path}, collecting {@code field} of every page. */
    List<String> collectPages(String path, String field) {
        List<String> all = new ArrayList<>();
        String next = path;
        for (int pages = 0; next != null; pages++) {
            assertThat(pages).as("pages followed from %s", path).isLessThan(10_000);
            HttpResponse<byte[]> page = get(next);
            assertThat(page.statusCode()).as("GET %s", next).isEqualTo(200);
            all.addAll(texts(json(page).get(field)));
            next = nextLink(page).orElse(null);
        }
        return all;
    }

    private static BodyPublisher publisher(byte[] body) {
        return body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body);
    }

    static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** {@code url} with {@code parameter} (already encoded: {@code name=value}) added to its query. */
    static String withQuery(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    /** The URL of a {@code Link: <…>; rel="next"} header, if there is one. */
    static Optional<String> nextLink(HttpResponse<?> response) {
        return response.headers().firstValue("Link").map(link -> {
            Matcher m = NEXT_LINK.matcher(link);
            assertThat(m.find()).as("Link header %s", link).isTrue();
            return m.group(1);
        });
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    /** A JSON array of strings as a list; a JSON {@code null} or missing array fails. */
    static List<String> texts(JsonNode array) {
        assertThat(array).as("a JSON array").isNotNull();
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /**
     * Asserts an error response: {@code status}, a JSON body {@code {"errors":[{"code":code,"message":…}]}}
     * and, except for HEAD, {@code Content-Type: application/json}. Returns the first error entry.
     */
    static JsonNode assertError(HttpResponse<byte[]> response, int status, String code) {
        String what = response.request().method() + " " + response.request().uri();
        assertThat(response.statusCode()).as("status of %s, body %s", what, new String(response.body(),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(status);
        if (response.request().method().equals("HEAD")) {
            assertThat(response.body()).as("HEAD body of %s", what).isEmpty();
            return null;
        }
        assertThat(header(response, "Content-Type")).as("Content-Type of %s", what).startsWith("application/json");
        JsonNode errors = json(response).get("errors");
        assertThat(errors).as("errors of %s", what).isNotNull();
        assertThat(errors.isArray() && !errors.isEmpty()).as("errors of %s is a non-empty array", what).isTrue();
        JsonNode first = errors.get(0);
        assertThat(first.path("code").asText()).as("error code of %s (%s)", what, first).isEqualTo(code);
        assertThat(first.path("message").asText()).as("error message of %s", what).isNotBlank();
        return first;
    }
}
