package dev.berth.server;

import dev.berth.server.auth.AccessController;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.http.HttpFrontEnd;
import dev.berth.server.http.Pipeline;
import dev.berth.server.meta.JdbcMetadataStore;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.registry.RegistryApi;
import dev.berth.server.registry.RegistryOptions;
import dev.berth.server.storage.BlobStore;
import dev.berth.server.storage.FileBlobStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running registry, wired from a {@link BerthConfig}: the one place where the parts are constructed
 * and connected. Closing it stops the HTTP server first, then the stores.
 */
public final class BerthServer implements AutoCloseable {
    private final HttpFrontEnd http;
    private final MetadataStore meta;
    private final String host;

    private BerthServer(HttpFrontEnd http, MetadataStore meta, String host) {
        this.http = http;
        this.meta = meta;
        this.host = host;
    }

    public static BerthServer start(BerthConfig config) {
        URI addr = parseAddr(config.http().addr());
        requireSafeBind(addr.getHost(), config.http().allowPublicWithoutAuth());
        Path data = Path.of(config.storage().path()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new ConfigException("cannot create data directory " + data + ": " + e.getMessage(), e);
        }
        BlobStore blobs = new FileBlobStore(data);
        MetadataStore meta = JdbcMetadataStore.sqlite(data.resolve("berth.db"));
        try {
            RegistryOptions options = new RegistryOptions(config.registry().deleteEnabled(),
                    config.registry().maxTagsPage(), config.registry().maxCatalogPage(),
                    RegistryOptions.defaults().manifestCacheBytes());
            HttpFrontEnd http = HttpFrontEnd.start(addr.getHost(), addr.getPort(),
                    new Pipeline(RegistryApi.routes(blobs, meta, options), AccessController.open(), null));
            return new BerthServer(http, meta, addr.getHost());
        } catch (RuntimeException e) {
            meta.close();
            throw e;
        }
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
        meta.close();
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
