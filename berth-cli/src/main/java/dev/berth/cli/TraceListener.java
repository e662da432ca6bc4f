package dev.berth.cli;

import dev.berth.client.Exchange;
import dev.berth.client.ExchangeListener;
import dev.berth.client.Token;
import dev.berth.spec.auth.Challenge;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Prints what the client does, in curl's {@code -v} manner: {@code >} request lines, {@code <} response
 * lines, {@code *} tokens and notes, {@code !} warnings. Only the headers that explain registry traffic
 * are shown. Secrets arrive already redacted by the client unless {@code --show-secrets}.
 */
final class TraceListener implements ExchangeListener {
    private static final Set<String> REQUEST_HEADERS = caseless("Authorization", "Accept", "Content-Type", "Range");
    private static final Set<String> RESPONSE_HEADERS = caseless("Content-Type", "Content-Length", "Content-Range",
            "Docker-Content-Digest", "Location", "WWW-Authenticate", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
            "RateLimit-Reset", "Docker-RateLimit-Source", "Link", "Range", "Docker-Upload-UUID", "OCI-Subject");

    private final PrintWriter err;
    private final boolean reveal;

    /** @param reveal secrets are shown: print them whole */
    TraceListener(PrintWriter err, boolean reveal) {
        this.err = err;
        this.reveal = reveal;
    }

    private static Set<String> caseless(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }

    @Override
    public synchronized void exchange(Exchange e) {
        err.println("> " + e.method() + " " + e.uri());
        headers(">", e.requestHeaders(), REQUEST_HEADERS);
        if (e.status() == 0) {
            err.println("< (no response: " + e.failure().orElse("unknown") + ") " + e.elapsed().toMillis() + " ms");
        } else {
            err.println("< " + e.status() + " (" + e.elapsed().toMillis() + " ms)");
            headers("<", e.responseHeaders(), RESPONSE_HEADERS);
            for (String value : e.responseHeaders().getOrDefault("WWW-Authenticate", List.of())) {
                for (Challenge challenge : Challenge.parse(value)) {
                    err.println("*   challenge " + challenge.scheme() + ": " + challenge.params().entrySet().stream()
                            .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", ")));
                }
            }
        }
        err.println();
        err.flush();
    }

    private void headers(String arrow, Map<String, List<String>> headers, Set<String> shown) {
        headers.forEach((name, values) -> {
            if (shown.contains(name)) {
                values.forEach(value -> err.println(arrow + " " + name + ": " + shorten(name, value)));
            }
        });
    }

    /**
     * A redacted bearer token still carries its JWT header (with a certificate chain, kilobytes) and claims;
     * the claims are printed with the token, so the header line keeps only its start.
     */
    private String shorten(String name, String value) {
        if (reveal || !name.equalsIgnoreCase("Authorization") || value.length() <= 64) {
            return value;
        }
        return value.substring(0, 40) + "…<redacted>";
    }

    @Override
    public synchronized void token(Token token) {
        err.println("* token from " + token.realm() + " for service " + token.service() + ", scopes "
                + token.scopes().stream().map(Object::toString).collect(Collectors.joining(" ")) + ", expires " + token.expiresAt());
        err.println("*   token: " + token.value());
        token.header().ifPresent(header -> err.println("*   header: " + header));
        token.claims().ifPresent(claims -> err.println("*   claims: " + claims));
        err.println();
        err.flush();
    }

    @Override
    public synchronized void warning(String message) {
        err.println("! " + message);
        err.flush();
    }
}
