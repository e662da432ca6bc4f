package dev.berth.server.http;

import dev.berth.server.auth.AccessController;
import dev.berth.server.auth.Grant;
import dev.berth.server.auth.RequiredAccess;
import dev.berth.server.meta.NotInMemory;
import dev.berth.server.ratelimit.PullRateLimiter;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RegistryPath.Endpoint;
import dev.berth.spec.RepositoryName;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The fixed pipeline every API request goes through: match the path, validate the repository name,
 * find the route, check access, then run the handler and write its reply (or its failure, through
 * {@link ErrorRenderer}). A route that can answer from memory is tried first on the event loop, when
 * access control needs no blocking either; otherwise, or when the answer is not in memory, the
 * request goes to a virtual thread and its reply comes back to the event loop.
 */
final class Dispatcher implements Handler<HttpServerRequest> {
    private final Routes routes;
    private final AccessController access;
    private final PullRateLimiter limiter;
    private final ExecutorService blocking;

    Dispatcher(Pipeline pipeline, ExecutorService blocking) {
        this.routes = pipeline.routes();
        this.access = pipeline.access();
        this.limiter = pipeline.limiter();
        this.blocking = blocking;
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause();
        Reply immediate = access.blocks() ? null : fromMemory(request);
        if (immediate != null) {
            finish(request, immediate);
            return;
        }
        Context context = Vertx.currentContext();
        RequestBody body = new RequestBody(request, context);
        blocking.execute(() -> {
            Reply reply;
            try {
                reply = route(request, body, false);
            } catch (Throwable failure) {
                reply = ErrorRenderer.render(failure, line(request));
            }
            Reply done = reply;
            context.runOnContext(v -> finish(request, done));
        });
    }

    /** The reply if it can be given without blocking, else {@code null}. */
    private Reply fromMemory(HttpServerRequest request) {
        try {
            return route(request, null, true);
        } catch (NotInMemory e) {
            return null;
        } catch (Throwable failure) {
            return ErrorRenderer.render(failure, line(request));
        }
    }

    private static void finish(HttpServerRequest request, Reply reply) {
        Responder.send(request, reply);
        if (!request.isEnded()) {
            request.handler(ignored -> { });
            request.resume();
        }
    }

    private static String line(HttpServerRequest request) {
        return request.method() + " " + request.path();
    }

    private Reply route(HttpServerRequest request, RequestBody body, boolean memoryOnly) {
        HttpMethod method = request.method();
        MultiMap query = QueryString.parse(request.query());
        InetAddress source = source(request);
        Optional<Map<HttpMethod, RouteHandler>> outside = routes.outside(request.path());
        if (outside.isPresent()) {
            if (memoryOnly) {
                throw NotInMemory.instance();
            }
            RouteHandler handler = Optional.ofNullable(outside.get().get(method))
                    .orElseThrow(() -> unsupported(method, outside.get().keySet()));
            return handler.handle(new RegistryRequest(method, null, null, request.headers(), query, body, null, source));
        }
        RegistryPath path = RegistryPath.match(request.path())
                .orElseThrow(() -> ErrorCode.NAME_UNKNOWN.exception("no such endpoint: " + abbreviate(request.path())));
        RepositoryName name = path.name() == null ? null : RepositoryName.parse(path.name());
        Endpoint endpoint = path.endpoint();
        Routes.Route route = routes.find(endpoint, method).orElseThrow(() -> unsupported(method, routes.methods(endpoint)));
        RouteHandler handler = memoryOnly ? route.fromMemory() : route.handler();
        if (handler == null) {
            throw NotInMemory.instance();
        }
        RequiredAccess required = RequiredAccess.of(endpoint, method, name, Optional.ofNullable(query.get("from")));
        Grant grant = access.authorize(request.getHeader("Authorization"), source, required);
        boolean limited = limiter != null && endpoint == Endpoint.MANIFEST && (method == HttpMethod.GET || method == HttpMethod.HEAD);
        Map<String, String> limits = !limited ? Map.of()
                : method == HttpMethod.GET ? limiter.admit(grant.principal(), source)
                : limiter.peek(grant.principal(), source); // a HEAD is how clients check their limit: never refused
        Reply reply = handler.handle(new RegistryRequest(method, name, path.last(), request.headers(), query, body, grant, source));
        if (limited && method == HttpMethod.GET && reply.status() == 200) {
            limits = limiter.take(grant.principal(), source); // only manifests served count, as on Docker Hub
        }
        return reply.withHeaders(limits);
    }

    private static RegistryException unsupported(HttpMethod method, Set<HttpMethod> allowed) {
        return ErrorCode.UNSUPPORTED.exception(method + " is not supported here; allowed: "
                + allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
    }

    private static InetAddress source(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        try {
            return InetAddress.getByName(remote == null || remote.hostAddress() == null ? "0.0.0.0" : remote.hostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unparseable peer address " + remote, e);
        }
    }

    private static String abbreviate(String path) {
        return path.length() <= 100 ? path : path.substring(0, 100) + "…";
    }
}
