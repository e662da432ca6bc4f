package dev.berth.server.http;

import dev.berth.spec.RegistryPath.Endpoint;
import io.vertx.core.http.HttpMethod;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The route table: which handler answers which verb on which endpoint. Handler classes register their
 * own verbs ({@code register(Routes)}), mutating ones only when the registry allows them; a verb that
 * nobody registered is answered {@code 405 UNSUPPORTED}. {@code HEAD} is answered by the {@code GET}
 * handler unless one is registered for it.
 */
public final class Routes {
    /** A verb's handler, and the one that answers from memory alone on the event loop, if any. */
    record Route(RouteHandler handler, RouteHandler fromMemory) {
    }

    private final Map<Endpoint, Map<HttpMethod, Route>> table = new EnumMap<>(Endpoint.class);
    private final Map<String, Map<HttpMethod, RouteHandler>> outside = new LinkedHashMap<>();

    public Routes add(Endpoint endpoint, HttpMethod method, RouteHandler handler) {
        return add(endpoint, method, handler, null);
    }

    /**
     * Adds a route that can often be answered from memory: {@code fromMemory} runs first, on the event
     * loop, and must not block; it throws {@link dev.berth.server.meta.NotInMemory} to hand the request
     * to {@code handler} on a virtual thread. Both must give the same answer.
     */
    public Routes add(Endpoint endpoint, HttpMethod method, RouteHandler handler, RouteHandler fromMemory) {
        Route previous = table.computeIfAbsent(endpoint, e -> new LinkedHashMap<>()).putIfAbsent(method, new Route(handler, fromMemory));
        if (previous != null) {
            throw new IllegalStateException(method + " " + endpoint + " registered twice");
        }
        return this;
    }

    /**
     * Adds a route outside the registry API, at an exact path (the token endpoint). Its handler does
     * its own authentication: the registry's access control does not apply.
     */
    public Routes addOutside(String path, HttpMethod method, RouteHandler handler) {
        if (path.startsWith("/v2")) {
            throw new IllegalArgumentException(path + " belongs to the registry API");
        }
        RouteHandler previous = outside.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(method, handler);
        if (previous != null) {
            throw new IllegalStateException(method + " " + path + " registered twice");
        }
        return this;
    }

    Optional<Map<HttpMethod, RouteHandler>> outside(String path) {
        return Optional.ofNullable(outside.get(path));
    }

    Optional<Route> find(Endpoint endpoint, HttpMethod method) {
        Map<HttpMethod, Route> verbs = table.getOrDefault(endpoint, Map.of());
        Route handler = verbs.get(method);
        if (handler == null && method == HttpMethod.HEAD) {
            handler = verbs.get(HttpMethod.GET);
        }
        return Optional.ofNullable(handler);
    }

    Set<HttpMethod> methods(Endpoint endpoint) {
        return table.getOrDefault(endpoint, Map.of()).keySet();
    }
}
