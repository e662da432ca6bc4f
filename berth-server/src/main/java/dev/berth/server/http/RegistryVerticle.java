package dev.berth.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ExecutorService;

/** One event loop's HTTP server; several instances share the listening socket. */
final class RegistryVerticle extends VerticleBase {
    /** Header lines beyond this are answered 431 by Vert.x itself, before any handler runs. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Body pieces as large as the socket reads give them, rather than Netty's 8 KiB default: fewer hand-offs per upload. */
    private static final int MAX_CHUNK_BYTES = 256 * 1024;

    private final String host;
    private final int port;
    private final Pipeline pipeline;
    private final LoopbackCongestionControl loopback;
    private final ExecutorService blocking;
    private HttpServer server;

    RegistryVerticle(String host, int port, Pipeline pipeline, LoopbackCongestionControl loopback, ExecutorService blocking) {
        this.host = host;
        this.port = port;
        this.pipeline = pipeline;
        this.loopback = loopback;
        this.blocking = blocking;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxInitialLineLength(8192)
                .setMaxChunkSize(MAX_CHUNK_BYTES)
                .setHandle100ContinueAutomatically(true)
                .setTcpNoDelay(true)
                .setIdleTimeout(300);
        server = vertx.createHttpServer(options)
                .connectionHandler(loopback)
                .requestHandler(new Dispatcher(pipeline, blocking))
                .invalidRequestHandler(RegistryVerticle::invalidRequest);
        return server.listen();
    }

    /** Vert.x's own answer to a request it cannot decode (400, 414, 431), with the header every response carries. */
    private static void invalidRequest(HttpServerRequest request) {
        request.response().putHeader(Responder.API_VERSION_HEADER, Responder.API_VERSION);
        HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
    }

    int actualPort() {
        return server.actualPort();
    }
}
