package dev.berth.server;

import dev.berth.server.auth.AccessController;
import dev.berth.server.auth.AccessPolicy;
import dev.berth.server.auth.BasicAccess;
import dev.berth.server.auth.BearerAccess;
import dev.berth.server.auth.TokenHandler;
import dev.berth.server.auth.identity.HtpasswdFile;
import dev.berth.server.auth.identity.LoginThrottle;
import dev.berth.server.auth.identity.RefreshTokens;
import dev.berth.server.auth.identity.RulesPolicy;
import dev.berth.server.auth.identity.UserStore;
import dev.berth.server.auth.token.SigningKey;
import dev.berth.server.auth.token.TokenIssuer;
import dev.berth.server.auth.token.TokenVerifier;
import dev.berth.server.auth.token.TrustedKeys;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.http.HttpFrontEnd;
import dev.berth.server.http.LoopbackCongestionControl;
import dev.berth.server.http.Pipeline;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.Database;
import dev.berth.server.meta.JdbcMetadataStore;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.ratelimit.PullLimit;
import dev.berth.server.ratelimit.PullRateLimiter;
import dev.berth.server.registry.RegistryApi;
import dev.berth.server.registry.RegistryOptions;
import dev.berth.server.storage.BlobStore;
import dev.berth.server.storage.FileBlobStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running registry, wired from a {@link BerthConfig}: the one place where the parts are constructed
 * and connected. Closing it stops the HTTP server first, then the stores.
 */
public final class BerthServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BerthServer.class);

    /** Where {@code auth.mode=token} keeps its signing key and certificate, under the data directory. */
    public static final String AUTH_DIRECTORY = "auth";

    private final HttpFrontEnd http;
    private final Database db;
    private final String host;
    private final ScheduledExecutorService housekeeping;

    private BerthServer(HttpFrontEnd http, Database db, String host, ScheduledExecutorService housekeeping) {
        this.http = http;
        this.db = db;
        this.host = host;
        this.housekeeping = housekeeping;
    }

    public static BerthServer start(BerthConfig config) {
        URI addr = parseAddr(config.http().addr());
        String mode = config.auth().mode();
        if (!List.of("none", "htpasswd", "token").contains(mode)) {
            throw new ConfigException("auth.mode must be none, htpasswd or token, not '" + mode + "'");
        }
        requireSafeBind(addr.getHost(), !mode.equals("none") || config.http().allowPublicWithoutAuth());
        var loopback = new LoopbackCongestionControl(config.http().loopbackCongestionControl());
        Path data = Path.of(config.storage().path()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new ConfigException("cannot create data directory " + data + ": " + e.getMessage(), e);
        }
        int port = mode.equals("token") && addr.getPort() == 0 ? freePort(addr.getHost()) : addr.getPort();
        // Vert.x starts up on another thread while the database opens and migrates.
        CompletableFuture<Vertx> vertx = CompletableFuture.supplyAsync(HttpFrontEnd::newVertx, task -> Thread.ofPlatform().start(task));
        BlobStore blobs;
        Database db;
        try {
            blobs = new FileBlobStore(data);
            db = Database.sqlite(data.resolve("berth.db"));
        } catch (RuntimeException e) {
            vertx.thenAccept(Vertx::close);
            throw e;
        }
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("berth-housekeeping").factory());
        try {
            MetadataStore meta = new JdbcMetadataStore(db);
            RegistryOptions options = new RegistryOptions(config.registry().deleteEnabled(),
                    config.registry().maxTagsPage(), config.registry().maxCatalogPage(),
                    RegistryOptions.defaultCacheBytes(), Duration.ofHours(config.registry().uploadLifetimeHours()));
            RegistryApi api = new RegistryApi(blobs, meta, options, Clock.systemUTC());
            housekeeping.scheduleWithFixedDelay(() -> purge(api), 0, 1, TimeUnit.HOURS);
            Routes routes = api.routes();
            PullRateLimiter limiter = config.rateLimit().enabled()
                    ? new PullRateLimiter(
                            new PullLimit(config.rateLimit().anonymous(), Duration.ofSeconds(config.rateLimit().windowSeconds())),
                            new PullLimit(config.rateLimit().authenticated(), Duration.ofSeconds(config.rateLimit().windowSeconds())),
                            Clock.systemUTC())
                    : null;
            AccessController access = switch (mode) {
                case "htpasswd" -> htpasswd(config.auth(), data);
                case "token" -> token(config.auth(), data, addr.getHost(), port, db, routes, limiter, housekeeping);
                default -> AccessController.open();
            };
            HttpFrontEnd http = HttpFrontEnd.start(vertx.join(), addr.getHost(), port, new Pipeline(routes, access, limiter), loopback);
            return new BerthServer(http, db, addr.getHost(), housekeeping);
        } catch (RuntimeException e) {
            housekeeping.shutdownNow();
            db.close();
            vertx.thenAccept(Vertx::close);
            throw e;
        }
    }

    /** Basic authentication from an htpasswd file; with no rules file, every user may do everything, as in distribution. */
    private static AccessController htpasswd(BerthConfig.Auth auth, Path data) {
        Path file = pathOr(auth.htpasswd(), data.resolve("htpasswd"));
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("auth.mode=htpasswd needs an htpasswd file; " + file + " does not exist"
                    + " (create it with: htpasswd -Bc " + file + " USER)");
        }
        Path rules = pathOr(auth.policy(), data.resolve("policy.yml"));
        AccessPolicy policy = Files.exists(rules) ? new RulesPolicy(rules) : AccessPolicy.authenticatedMayDoAnything();
        String realm = auth.realm().isEmpty() ? "berth" : auth.realm();
        return new BasicAccess(new HtpasswdFile(file), policy, new LoginThrottle(), realm);
    }

    /**
     * Bearer tokens: verified against berth's own signing certificate plus any configured bundle; the
     * token service itself is served at {@code /token} unless turned off.
     */
    private static AccessController token(BerthConfig.Auth auth, Path data, String host, int port, Database db,
            Routes routes, PullRateLimiter limiter, ScheduledExecutorService housekeeping) {
        String reachable = (isWildcard(host) ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String realm = auth.realm().isEmpty() ? "http://" + reachable + "/token" : auth.realm();
        if (auth.tokenLifetimeSeconds() < TokenIssuer.MIN_LIFETIME.toSeconds()) {
            throw new ConfigException("auth.tokenLifetimeSeconds must be at least " + TokenIssuer.MIN_LIFETIME.toSeconds());
        }
        String service = auth.service().isEmpty() ? reachable : auth.service();
        SigningKey key;
        try {
            key = SigningKey.loadOrCreate(data.resolve(AUTH_DIRECTORY), SigningKey.Algorithm.valueOf(auth.algorithm()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth.algorithm must be ES256 or RS256, not '" + auth.algorithm() + "'", e);
        } catch (IOException e) {
            throw new ConfigException("cannot load or create the token signing key: " + e.getMessage(), e);
        }
        TrustedKeys.Builder trust = TrustedKeys.builder().signingKey(key);
        if (!auth.trustedCertificates().isEmpty()) {
            trust.file(Path.of(auth.trustedCertificates()));
        }
        TrustedKeys trusted = trust.build();
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                trusted.reload();
            } catch (RuntimeException e) {
                LOG.warn("trusted token keys not reloaded, keeping the current ones: {}", e.getMessage());
            }
        }, 10, 10, TimeUnit.SECONDS);
        Set<String> issuers = new LinkedHashSet<>(List.of(auth.issuer()));
        issuers.addAll(commaSeparated(auth.trustedIssuers()));
        List<String> services = new ArrayList<>(List.of(service));
        services.addAll(commaSeparated(auth.otherServices()));
        TokenVerifier verifier = new TokenVerifier(trusted, issuers, service);
        if (auth.tokenService()) {
            UserStore users = new UserStore(db);
            AccessPolicy policy = new RulesPolicy(pathOr(auth.policy(), data.resolve("policy.yml")));
            TokenIssuer issuer = new TokenIssuer(key, auth.issuer(), Duration.ofSeconds(auth.tokenLifetimeSeconds()),
                    Clock.systemUTC(), verifier);
            new TokenHandler(users, new RefreshTokens(db, users), policy, issuer, new LoginThrottle(), services,
                    "berth", limiter).register(routes);
            LOG.info("token service at {} for {}", realm, String.join(", ", services));
        }
        return new BearerAccess(verifier, realm, service);
    }

    public int port() {
        return http.port();
    }

    /** The base URL clients reach the registry at, e.g. {@code http://127.0.0.1:5000}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public void close() {
        http.close();
        housekeeping.shutdownNow();
        db.close();
    }

    private static void purge(RegistryApi api) {
        try {
            int purged = api.purgeAbandonedUploads();
            if (purged > 0) {
                LOG.info("purged {} abandoned uploads", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("purging abandoned uploads failed; will try again", e);
        }
    }

    private static List<String> commaSeparated(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static Path pathOr(String configured, Path fallback) {
        return configured.isEmpty() ? fallback : Path.of(configured);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** A port free right now, for a token realm that must name the port before the server binds it. */
    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ConfigException("cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port}, {@code [v6]:port} or {@code :port} (every interface). */
    static URI parseAddr(String addr) {
        String withHost = addr.startsWith(":") ? "0.0.0.0" + addr : addr;
        try {
            URI uri = new URI("http://" + withHost);
            if (uri.getHost() == null || uri.getPort() < 0 || !uri.getPath().isEmpty()) {
                throw new ConfigException("http.addr must be HOST:PORT, not '" + addr + "'");
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            return new URI("http", null, host, uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException("http.addr must be HOST:PORT, not '" + addr + "'", e);
        }
    }

    /** Without authentication, only loopback is safe to listen on, unless the operator says otherwise. */
    private static void requireSafeBind(String host, boolean allowPublic) {
        if (allowPublic) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    throw new ConfigException("refusing to listen on " + host + " without authentication;"
                            + " set http.allowPublicWithoutAuth (--allow-public-without-auth) to do it anyway");
                }
            }
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("unknown host in http.addr: " + host, e);
        }
    }
}
