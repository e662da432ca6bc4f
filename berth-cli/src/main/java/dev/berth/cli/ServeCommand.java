package dev.berth.cli;

import dev.berth.server.BerthServer;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth serve}: runs the registry until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the registry. With no file and no flags: 127.0.0.1:5000, data under ./berth-data.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (berth.yml).")
    Path config;

    @Option(names = "--addr", paramLabel = "HOST:PORT", description = "Listen address (http.addr, BERTH_HTTP_ADDR).")
    String addr;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (storage.path, BERTH_STORAGE_PATH).")
    String data;

    @Option(names = "--allow-public-without-auth",
            description = "Listen on a non-loopback address although no authentication is configured.")
    boolean allowPublic;

    @Option(names = "--auth", paramLabel = "MODE", description = "none, htpasswd or token (auth.mode, BERTH_AUTH_MODE).")
    String auth;

    @Option(names = "--no-delete", description = "Refuse DELETE of manifests, tags and blobs (registry.deleteEnabled=false).")
    boolean noDelete;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (addr != null) {
            overrides.put("http.addr", addr);
        }
        if (data != null) {
            overrides.put("storage.path", data);
        }
        if (allowPublic) {
            overrides.put("http.allowPublicWithoutAuth", "true");
        }
        if (auth != null) {
            overrides.put("auth.mode", auth);
        }
        if (noDelete) {
            overrides.put("registry.deleteEnabled", "false");
        }
        BerthServer server;
        try {
            BerthConfig settings = ConfigLoader.load(config, System.getenv(), overrides);
            server = BerthServer.start(settings);
            Logger log = LoggerFactory.getLogger("berth"); // here, not in a static field: other commands never start logging
            log.info("berth registry listening on {} (data {})", server.url(), Path.of(settings.storage().path()).toAbsolutePath().normalize());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "berth-shutdown"));
        stopped.await();
        return 0;
    }
}
