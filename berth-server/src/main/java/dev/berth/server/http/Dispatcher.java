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
 * The fixed pipeline every API request goes through: match the path, validate the repository name and
 * find the route (on the event loop, once), then check access, run the handler and write its reply (or
 * its failure, through {@link ErrorRenderer}). A route that can answer from memory is tried first on
 * the event loop, when access control needs no blocking either; otherwise, or when the answer is not in
 * memory, the request goes to a virtual thread and its reply comes back to the event loop.
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
        Matched matched;
        try {
            matched = match(request);
        } catch (Throwable failure) {
            finish(request, ErrorRenderer.render(failure, line(request)));
            return;
        }
        Reply immediate = matched.fromMemory() == null || access.blocks() ? null : fromMemory(request, matched);
        if (immediate != null) {
            finish(request, immediate);
            return;
        }
        Context context = Vertx.currentContext();
        RequestBody body = new RequestBody(request, context);
        blocking.execute(() -> {
            Reply reply;
            try {
                reply = run(request, matched, matched.handler(), body);
            } catch (Throwable failure) {
                reply = ErrorRenderer.render(failure, line(request));
            }
            Reply done = reply;
            context.runOnContext(v -> finish(request, done));
        });
    }

    /**
     * A request matched to its route. {@code endpoint} is {@code null} for a route outside the
     * registry API, which checks access itself; {@code fromMemory} is {@code null} when the route has
     * no handler that answers from memory.
     */
    private record Matched(HttpMethod method, Endpoint endpoint, RepositoryName name, String last,
            RouteHandler handler, RouteHandler fromMemory, MultiMap query, InetAddress source) {
    }

    private Matched match(HttpServerRequest request) {
        HttpMethod method = request.method();
        MultiMap query = QueryString.parse(request.query());
        InetAddress source = source(request);
        Optional<Map<HttpMethod, RouteHandler>> outside = routes.outside(request.path());
        if (outside.isPresent()) {
            RouteHandler handler = Optional.ofNullable(outside.get().get(method))
                    .orElseThrow(() -> unsupported(method, outside.get().keySet()));
            return new Matched(method, null, null, null, handler, null, query, source);
        }
        RegistryPath path = RegistryPath.match(request.path())
                .orElseThrow(() -> ErrorCode.NAME_UNKNOWN.exception("no such endpoint: " + abbreviate(request.path())));
        RepositoryName name = path.name() == null ? null : RepositoryName.parse(path.name());
        Endpoint endpoint = path.endpoint();
        Routes.Route route = routes.find(endpoint, method).orElseThrow(() -> unsupported(method, routes.methods(endpoint)));
        return new Matched(method, endpoint, name, path.last(), route.handler(), route.fromMemory(), query, source);
    }

    /** The reply if it can be given without blocking, else {@code null}. */
    private Reply fromMemory(HttpServerRequest request, Matched matched) {
        try {
            return run(request, matched, matched.fromMemory(), null);
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

    /** The request as failures are logged: method and path, without the query. */
    static String line(HttpServerRequest request) {
        return request.method() + " " + request.path();
    }

    private Reply run(HttpServerRequest request, Matched matched, RouteHandler handler, RequestBody body) {
        HttpMethod method = matched.method();
        if (matched.endpoint() == null) {
            return handler.handle(new RegistryRequest(method, null, null, request.headers(), matched.query(), body, null, matched.source()));
        }
        RequiredAccess required = RequiredAccess.of(matched.endpoint(), method, matched.name(), Optional.ofNullable(matched.query().get("from")));
        Grant grant = access.authorize(request.getHeader("Authorization"), matched.source(), required);
        boolean limited = limiter != null && matched.endpoint() == Endpoint.MANIFEST && (method == HttpMethod.GET || method == HttpMethod.HEAD);
        Map<String, String> limits = !limited ? Map.of()
                : method == HttpMethod.GET ? limiter.admit(grant.principal(), matched.source())
                : limiter.peek(grant.principal(), matched.source()); // a HEAD is how clients check their limit: never refused
        Reply reply = handler.handle(new RegistryRequest(method, matched.name(), matched.last(), request.headers(),
                matched.query(), body, grant, matched.source()));
        if (limited && method == HttpMethod.GET && reply.status() == 200) {
            limits = limiter.take(grant.principal(), matched.source()); // only manifests served count, as on Docker Hub
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
