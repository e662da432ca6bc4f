package dev.berth.server.http;

import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes {@code application/x-www-form-urlencoded} text, a query string or a form body, leniently as
 * Go's {@code url.ParseQuery} does for distribution: a pair that does not decode is dropped, so a bad
 * escape reads as a missing parameter (a 4xx from the handler) rather than failing the request.
 */
public final class QueryString {

    private QueryString() {
    }

    public static MultiMap parse(String encoded) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!key.isEmpty()) {
                    params.add(key, value);
                }
            } catch (IllegalArgumentException malformed) {
                // dropped, see above
            }
        }
        return params;
    }
}
