package dev.berth.client.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last layer: sends the request with the JDK client and returns the response with its body as a
 * stream. Plain-HTTP requests go as HTTP/1.1 (no h2c upgrade dance); HTTPS negotiates HTTP/2.
 * Requests without a body time out after {@code timeout} waiting for the response headers; uploads
 * don't, since their response only comes once the last byte is in.
 */
public final class Transport implements Interceptor {
    /** Headers the JDK sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final HttpClient client;
    private final Duration timeout;

    public Transport(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .method(request.method(), request.body().publisher());
        if ("http".equalsIgnoreCase(request.uri().getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        if (request.body() instanceof Body.None) {
            builder.timeout(timeout);
        }
        for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
        }
        try {
            HttpResponse<java.io.InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Response(request, response.statusCode(), response.headers(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted: " + request.method() + " " + request.uri());
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
