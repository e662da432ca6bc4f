package dev.berth.client;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP exchange as it went over the wire, for {@link ExchangeListener}s: every request the client
 * sends is reported, token requests, retries, redirects and scheme fallbacks included. Unless the
 * client was built with {@link RegistryClient.Builder#revealSecrets()}, secrets are redacted:
 * {@code Authorization} keeps its scheme and, for a JWT, its readable header and claims but not its
 * signature ({@code Bearer eyJhbGc….eyJpc3M….<redacted>}); cookies and URL query parameters that look
 * like signatures or tokens become {@code <redacted>}.
 *
 * @param status the response status, or 0 when no response came ({@code failure} says why)
 * <p>Header maps look names up case-insensitively.
 *
 * @param requestHeaders the headers berth set; the JDK adds {@code Host}, {@code Content-Length} and
 *     such itself
 */
public record Exchange(String method, URI uri, Map<String, List<String>> requestHeaders, int status,
        Map<String, List<String>> responseHeaders, Duration elapsed, Optional<String> failure) {

    public Exchange {
        requestHeaders = caseInsensitive(requestHeaders);
        responseHeaders = caseInsensitive(responseHeaders);
    }

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }
}
