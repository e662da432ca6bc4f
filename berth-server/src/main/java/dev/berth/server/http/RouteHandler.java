package dev.berth.server.http;

/**
 * Answers one verb on one endpoint. Runs on a virtual thread, so it may block on the database, the
 * file system or the request body; failures are thrown, never rendered by the handler.
 */
@FunctionalInterface
public interface RouteHandler {
    Reply handle(RegistryRequest request);
}
