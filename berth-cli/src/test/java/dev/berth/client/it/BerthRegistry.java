package dev.berth.client.it;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.server.BerthServer;
import dev.berth.server.auth.identity.UserStore;
import dev.berth.server.config.ConfigLoader;
import dev.berth.server.meta.Database;
import dev.berth.spec.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real berth registry, in this process, on a free loopback port, with its own data directory:
 * {@code auth.mode} none, htpasswd (users written to {@code <data>/htpasswd} as bcrypt {@code $2y$})
 * or token (users in its database). Closing it stops the server and deletes the data.
 */
public final class BerthRegistry implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-pw:with:colons";
    public static final String USER = "alice";
    public static final String USER_PASSWORD = "alice-pw";

    public final Path data;
    public final BerthServer server;

    private BerthRegistry(Path data, BerthServer server) {
        this.data = data;
        this.server = server;
    }

    /** Starts with {@code auth.mode=mode}; htpasswd and token registries get {@link #ADMIN} and {@link #USER}. */
    public static BerthRegistry start(String mode, Map<String, String> settings) {
        Path data = tempDir("berth-client-it-");
        Map<String, String> all = new HashMap<>();
        all.put("http.addr", "127.0.0.1:0");
        all.put("storage.path", data.toString());
        all.put("auth.mode", mode);
        all.putAll(settings);
        if (mode.equals("htpasswd")) {
            writeHtpasswd(data.resolve("htpasswd"), Map.of(ADMIN, ADMIN_PASSWORD, USER, USER_PASSWORD));
        }
        BerthServer server = BerthServer.start(ConfigLoader.load(null, Map.of(), all));
        BerthRegistry registry = new BerthRegistry(data, server);
        if (mode.equals("token")) {
            registry.addUser(ADMIN, ADMIN_PASSWORD, true);
            registry.addUser(USER, USER_PASSWORD, false);
        }
        return registry;
    }

    public Registry registry() {
        return Registry.parse("127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    public void addUser(String name, String password, boolean admin) {
        try (Database db = Database.sqlite(data.resolve("berth.db"))) {
            new UserStore(db).add(name, password, admin, Set.of());
        }
    }

    /** An htpasswd file as {@code htpasswd -Bbc} writes it: {@code user:$2y$10$…}. */
    public static void writeHtpasswd(Path file, Map<String, String> users) {
        StringBuilder lines = new StringBuilder();
        users.forEach((user, password) -> lines.append(user).append(':')
                .append(BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, password.toCharArray())).append('\n'));
        try {
            Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }

    @Override
    public void close() {
        server.close();
        deleteTree(data);
    }
}
