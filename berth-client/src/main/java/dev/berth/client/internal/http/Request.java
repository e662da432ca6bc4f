package dev.berth.client.internal.http;

import dev.berth.spec.Registry;
import dev.berth.spec.auth.Scope;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A request on its way through the interceptors. {@code registry} and {@code scopes} say whom the
 * request is for and what access it needs: the auth interceptors use them to pick credentials and
 * tokens. A request to a token realm has no registry ({@code null}) and is never given credentials by
 * the interceptors.
 */
public record Request(String method, URI uri, HttpHeaders headers, Body body, Registry registry, List<Scope> scopes) {
    private static final HttpHeaders EMPTY = HttpHeaders.of(Map.of(), (a, b) -> true);

    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = headers == null ? EMPTY : headers;
        body = body == null ? Body.NONE : body;
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public static Request get(URI uri) {
        return new Request("GET", uri, EMPTY, Body.NONE, null, List.of());
    }

    public static Request of(String method, URI uri, Registry registry, List<Scope> scopes) {
        return new Request(method, uri, EMPTY, Body.NONE, registry, scopes);
    }

    public Request withUri(URI newUri) {
        return new Request(method, newUri, headers, body, registry, scopes);
    }

    public Request withMethod(String newMethod, Body newBody) {
        return new Request(newMethod, uri, headers, newBody, registry, scopes);
    }

    public Request withBody(Body newBody) {
        return new Request(method, uri, headers, newBody, registry, scopes);
    }

    /** This request with {@code name} set to {@code value}, replacing what was there. */
    public Request withHeader(String name, String value) {
        return withHeaderValues(name, List.of(value));
    }

    /** This request with {@code name} set to several values, each sent as its own header line. */
    public Request withHeaderValues(String name, List<String> values) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(headers.map());
        map.put(name, List.copyOf(values));
        return new Request(method, uri, HttpHeaders.of(map, (a, b) -> true), body, registry, scopes);
    }

    public Request withoutHeader(String name) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(headers.map());
        map.remove(name);
        return new Request(method, uri, HttpHeaders.of(map, (a, b) -> true), body, registry, scopes);
    }

    public boolean hasHeader(String name) {
        return headers.firstValue(name).isPresent();
    }

    /** Whether the request goes to the registry's own API host, the only place its credentials may go. */
    public boolean targetsRegistryHost() {
        return registry != null && authority(uri).equalsIgnoreCase(defaultPort(registry.apiHost(), uri.getScheme()));
    }

    /** GET, HEAD, PUT, DELETE and OPTIONS may be repeated without changing the outcome (RFC 9110 §9.2.2). */
    public boolean idempotent() {
        return List.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS").contains(method.toUpperCase(Locale.ROOT));
    }

    /** {@code host:port} of a URI, with the scheme's default port filled in. */
    public static String authority(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        return uri.getHost() + ":" + port;
    }

    private static String defaultPort(String hostPort, String scheme) {
        boolean hasPort = hostPort.startsWith("[") ? hostPort.indexOf("]:") > 0 : hostPort.contains(":");
        return hasPort ? hostPort : hostPort + ":" + ("http".equalsIgnoreCase(scheme) ? 80 : 443);
    }
}
