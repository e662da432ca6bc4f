package dev.berth.spec.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme and its parameters, such as
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"}.
 * {@link #parse} reads every challenge of a header value (several may share one line, quoted strings
 * may hold commas and escapes); {@link #toString} writes one, quoting every value.
 *
 * <pre>{@code
 * Challenge c = Challenge.parse(response.headers().firstValue("WWW-Authenticate").orElseThrow()).getFirst();
 * c.scheme();              // "bearer" (schemes are case-insensitive, kept lower-case)
 * c.param("realm");        // "https://auth.docker.io/token"
 * }</pre>
 */
public record Challenge(String scheme, Map<String, String> params) {

    public Challenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static Challenge bearer(Map<String, String> params) {
        return new Challenge("bearer", params);
    }

    public static Challenge basic(String realm) {
        return new Challenge("basic", Map.of("realm", realm));
    }

    /** A parameter's value; parameter names are case-insensitive. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every challenge in a header value; an unreadable remainder is ignored rather than guessed at. */
    public static List<Challenge> parse(String header) {
        return new Parser(header).challenges();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(Character.toUpperCase(scheme.charAt(0)) + scheme.substring(1));
        String separator = " ";
        for (Map.Entry<String, String> param : params.entrySet()) {
            out.append(separator).append(param.getKey()).append("=\"");
            for (char c : param.getValue().toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
            separator = ",";
        }
        return out.toString();
    }

    private static final class Parser {
        private final String in;
        private int pos;

        Parser(String in) {
            this.in = in == null ? "" : in;
        }

        List<Challenge> challenges() {
            List<Challenge> challenges = new ArrayList<>();
            String scheme = token();
            while (scheme != null) {
                Map<String, String> params = new LinkedHashMap<>();
                String next;
                while (true) {
                    skipSpaceAndCommas();
                    next = token();
                    if (next == null) {
                        break;
                    }
                    skipSpace();
                    if (pos >= in.length() || in.charAt(pos) != '=') {
                        break; // a token without '=' starts the next challenge
                    }
                    pos++;
                    skipSpace();
                    String value = pos < in.length() && in.charAt(pos) == '"' ? quoted() : token();
                    if (value == null) {
                        next = null;
                        break;
                    }
                    params.put(next.toLowerCase(Locale.ROOT), value);
                }
                challenges.add(new Challenge(scheme, params));
                scheme = next;
            }
            return challenges;
        }

        private String token() {
            skipSpace();
            int start = pos;
            while (pos < in.length() && isTokenChar(in.charAt(pos))) {
                pos++;
            }
            return pos > start ? in.substring(start, pos) : null;
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            pos++; // opening quote
            while (pos < in.length()) {
                char c = in.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < in.length()) {
                    c = in.charAt(pos++);
                }
                value.append(c);
            }
            return null; // unterminated
        }

        private void skipSpace() {
            while (pos < in.length() && (in.charAt(pos) == ' ' || in.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private void skipSpaceAndCommas() {
            while (pos < in.length() && (in.charAt(pos) == ' ' || in.charAt(pos) == '\t' || in.charAt(pos) == ',')) {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
        }
    }
}
