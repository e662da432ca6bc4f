package dev.berth.client.internal.http;

import dev.berth.client.Exchange;
import dev.berth.client.ExchangeListener;
import dev.berth.client.Token;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The layer next to the wire: reports every exchange to the {@link ExchangeListener}, with secrets
 * redacted unless {@code reveal}. Sitting innermost, it sees what really went out, auth headers,
 * retries and fallbacks included.
 */
public final class ExchangeRecorder implements Interceptor {
    static final String REDACTED = "<redacted>";
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i).*(signature|token|secret|password|credential|sig|key).*");

    private final ExchangeListener listener;
    private final boolean reveal;

    public ExchangeRecorder(ExchangeListener listener, boolean reveal) {
        this.listener = listener;
        this.reveal = reveal;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        long start = System.nanoTime();
        try {
            Response response = chain.proceed(request);
            report(request, response.status(), response.headers().map(), start, Optional.empty());
            return response;
        } catch (IOException | RuntimeException e) {
            report(request, 0, Map.of(), start, Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
            throw e;
        }
    }

    private void report(Request request, int status, Map<String, List<String>> responseHeaders, long start, Optional<String> failure) {
        try {
            listener.exchange(new Exchange(request.method(), uri(request.uri()), headers(request.headers().map()), status,
                    headers(responseHeaders), Duration.ofNanos(System.nanoTime() - start), failure));
        } catch (RuntimeException listenerFailure) {
            // a listener must not break the request it watches
        }
    }

    private Map<String, List<String>> headers(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name.equals(":status")) {
                return;
            }
            List<String> shown = new ArrayList<>();
            for (String value : values) {
                shown.add(reveal ? value : redactHeader(name, value));
            }
            out.put(name, List.copyOf(shown));
        });
        return out;
    }

    /** {@code Authorization} keeps its scheme (and a JWT its claims); cookies go entirely. */
    static String redactHeader(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("authorization") || lower.equals("proxy-authorization")) {
            int space = value.indexOf(' ');
            if (space < 0) {
                return REDACTED;
            }
            String scheme = value.substring(0, space);
            String secret = value.substring(space + 1).strip();
            return scheme + " " + (scheme.equalsIgnoreCase("bearer") ? Token.redact(secret) : REDACTED);
        }
        if (lower.equals("cookie") || lower.equals("set-cookie")) {
            return REDACTED;
        }
        return value;
    }

    private URI uri(URI uri) {
        if (reveal || uri.getRawQuery() == null) {
            return uri;
        }
        List<String> params = new ArrayList<>();
        for (String param : uri.getRawQuery().split("&")) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            params.add(eq >= 0 && SECRET_PARAM.matcher(name).matches() ? name + "=REDACTED" : param);
        }
        try {
            return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + String.join("&", params));
        } catch (URISyntaxException e) {
            return uri;
        }
    }
}
