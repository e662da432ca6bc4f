package dev.berth.server.registry;

import dev.berth.server.http.Reply;
import dev.berth.server.http.RouteHandler;
import dev.berth.server.http.Routes;
import dev.berth.spec.RegistryPath.Endpoint;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/** {@code GET /v2/}: tells clients this is a registry speaking the V2 API. */
final class BaseHandler {

    void register(Routes routes) {
        RouteHandler hello = request -> Reply.status(200).json("{}".getBytes(StandardCharsets.UTF_8));
        routes.add(Endpoint.BASE, HttpMethod.GET, hello, hello);
    }
}
