package dev.berth.server.it.fault;

import dev.berth.server.BerthServer;
import dev.berth.server.config.ConfigLoader;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A registry in a JVM of its own, so a test can kill it with SIGKILL: {@code ServerProcess <data> <port>}
 * listens on {@code 127.0.0.1:<port>}, prints {@code READY <port>} once it does, and runs until killed.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        BerthServer server = BerthServer.start(ConfigLoader.load(null, Map.of(),
                Map.of("http.addr", "127.0.0.1:" + args[1], "storage.path", args[0])));
        System.out.println("READY " + server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
