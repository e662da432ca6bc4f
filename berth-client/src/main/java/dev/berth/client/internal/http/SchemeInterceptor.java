package dev.berth.client.internal.http;

import dev.berth.client.RegistryClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * HTTPS everywhere, plain HTTP only where it is allowed: loopback hosts and registries marked insecure
 * ({@link PlainHttpPolicy}). For an insecure registry the first request tries HTTPS and falls back to
 * HTTP when the TLS handshake or the connection fails, as Docker does. A loopback host is tried the
 * other way round, plain HTTP first (what a local registry nearly always speaks, and it spares the TLS
 * set-up that makes a short command slow), then HTTPS. The answer is remembered per host and port.
 * A plain-HTTP URL to any other host (a realm, a redirect, a {@code Location}) is refused: nothing,
 * least of all a credential, goes over plain HTTP to the network.
 */
public final class SchemeInterceptor implements Interceptor {
    private final Predicate<URI> plainHttpAllowed;
    private final Map<String, String> learned = new ConcurrentHashMap<>();

    public SchemeInterceptor(Predicate<URI> plainHttpAllowed) {
        this.plainHttpAllowed = plainHttpAllowed;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        URI uri = request.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean allowed = plainHttpAllowed.test(uri);
        switch (scheme) {
            case "https" -> {
                if (!allowed) {
                    return chain.proceed(request);
                }
                String key = uri.getHost() + ":" + uri.getPort();
                String known = learned.get(key);
                if (known != null) {
                    return chain.proceed(known.equals("http") ? request.withUri(withScheme(uri, "http")) : request);
                }
                boolean httpFirst = Addresses.isLoopback(uri.getHost());
                Request first = httpFirst ? request.withUri(withScheme(uri, "http")) : request;
                Request second = httpFirst ? request : request.withUri(withScheme(uri, "http"));
                try {
                    Response response = chain.proceed(first);
                    if (httpFirst && spokeToTls(response)) {
                        response.close();
                        learned.put(key, "https");
                        return chain.proceed(second);
                    }
                    learned.put(key, httpFirst ? "http" : "https");
                    return response;
                } catch (SSLException | ConnectException e) {
                    learned.put(key, httpFirst ? "https" : "http");
                    return chain.proceed(second);
                } catch (IOException e) {
                    if (!httpFirst) {
                        throw e;
                    }
                    // plain HTTP to a TLS port: the server hangs up or answers with a TLS alert
                    learned.put(key, "https");
                    return chain.proceed(second);
                }
            }
            case "http" -> {
                if (!allowed) {
                    throw new RegistryClientException("refusing plain HTTP to " + uri.getHost()
                            + ": only loopback hosts and registries marked insecure may be reached without TLS ("
                            + request.method() + " " + uri + ")");
                }
                return chain.proceed(request);
            }
            default -> throw new RegistryClientException("unsupported URL scheme in " + uri);
        }
    }

    /**
     * Whether a plain-HTTP answer came from a TLS port: Go's TLS servers (distribution among them)
     * answer a plain request with a bare 400, with none of a registry's headers.
     */
    private static boolean spokeToTls(Response response) {
        return response.status() == 400 && response.header("Docker-Distribution-API-Version").isEmpty()
                && response.header("Content-Type").isEmpty();
    }

    /** The same URL with another scheme; the raw (encoded) path and query are kept as they are. */
    static URI withScheme(URI uri, String scheme) {
        return URI.create(scheme + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
