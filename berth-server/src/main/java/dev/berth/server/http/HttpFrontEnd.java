package dev.berth.server.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side of a running registry: a Vert.x instance with one server per event loop, all
 * dispatching into the same {@link Pipeline}, and the virtual-thread executor that handlers run on.
 */
public final class HttpFrontEnd implements AutoCloseable {
    private final Vertx vertx;
    private final ExecutorService blocking;
    private final int port;

    private HttpFrontEnd(Vertx vertx, ExecutorService blocking, int port) {
        this.vertx = vertx;
        this.blocking = blocking;
        this.port = port;
    }

    /**
     * The Vert.x instance to {@link #start} on, with an event loop per core and the native transport.
     * Creating it takes a while, so a caller may do so while it prepares the rest.
     */
    public static Vertx newVertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops()).setPreferNativeTransport(true));
    }

    private static int eventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts listening on {@code host:port} ({@code port} 0 picks a free one) on {@code vertx}, which this
     * front end then owns, and waits until it does.
     */
    public static HttpFrontEnd start(Vertx vertx, String host, int port, Pipeline pipeline, LoopbackCongestionControl loopback) {
        int loops = eventLoops();
        ExecutorService blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-", 0).factory());
        try {
            // Vert.x shares one socket between servers asking for the same port, except port 0: each of
            // those binds a port of its own. Servers asking for the same negative port share one random port.
            int listen = port == 0 ? -1 : port;
            int bound = port;
            if (port == 0) {
                // Bind the first to learn the port it got.
                var first = new RegistryVerticle(host, listen, pipeline, loopback, blocking);
                vertx.deployVerticle(first).await();
                bound = first.actualPort();
                loops--;
            }
            if (loops > 0) {
                final int p = listen;
                vertx.deployVerticle(() -> new RegistryVerticle(host, p, pipeline, loopback, blocking), new DeploymentOptions().setInstances(loops)).await();
            }
            return new HttpFrontEnd(vertx, blocking, bound);
        } catch (RuntimeException e) {
            vertx.close().await();
            blocking.shutdownNow();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        vertx.close().await();
        blocking.shutdownNow();
    }
}
