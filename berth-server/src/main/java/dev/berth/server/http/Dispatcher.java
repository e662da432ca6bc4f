package dev.berth.server.http;

import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RegistryPath.Endpoint;
import dev.berth.spec.RepositoryName;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The fixed pipeline every API request goes through: match the path, validate the repository name,
 * find the route, then run the handler on a virtual thread and write its reply (or its failure,
 * through {@link ErrorRenderer}) back on the event loop.
 */
final class Dispatcher implements Handler<HttpServerRequest> {
    private final Routes routes;
    private final ExecutorService blocking;

    Dispatcher(Routes routes, ExecutorService blocking) {
        this.routes = routes;
        this.blocking = blocking;
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause();
        Context context = Vertx.currentContext();
        RequestBody body = new RequestBody(request, context);
        String line = request.method() + " " + request.path();
        blocking.execute(() -> {
            Reply reply;
            try {
                reply = route(request, body);
            } catch (Throwable failure) {
                reply = ErrorRenderer.render(failure, line);
            }
            Reply done = reply;
            context.runOnContext(v -> {
                Responder.send(request, done);
                if (!request.isEnded()) {
                    request.handler(ignored -> { });
                    request.resume();
                }
            });
        });
    }

    private Reply route(HttpServerRequest request, RequestBody body) {
        RegistryPath path = RegistryPath.match(request.path())
                .orElseThrow(() -> ErrorCode.NAME_UNKNOWN.exception("no such endpoint: " + abbreviate(request.path())));
        RepositoryName name = path.name() == null ? null : RepositoryName.parse(path.name());
        Endpoint endpoint = path.endpoint();
        HttpMethod method = request.method();
        RouteHandler handler = routes.find(endpoint, method).orElseThrow(() -> ErrorCode.UNSUPPORTED.exception(
                method + " is not supported here; allowed: "
                        + routes.methods(endpoint).stream().map(HttpMethod::name).collect(Collectors.joining(", "))));
        return handler.handle(new RegistryRequest(method, name, path.last(), request.headers(), query(request.query()), body));
    }

    /**
     * The query parameters, decoded leniently as Go's {@code url.ParseQuery} does for distribution: a
     * pair that does not decode is dropped, so a bad escape reads as a missing parameter (a 4xx from
     * the handler) rather than failing the whole request.
     */
    static MultiMap query(String rawQuery) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!key.isEmpty()) {
                    params.add(key, value);
                }
            } catch (IllegalArgumentException malformed) {
                // dropped, see above
            }
        }
        return params;
    }

    private static String abbreviate(String path) {
        return path.length() <= 100 ? path : path.substring(0, 100) + "…";
    }
}
