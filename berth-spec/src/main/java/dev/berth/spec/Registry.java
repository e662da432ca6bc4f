package dev.berth.spec;

import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry as a reference names it: {@code host[:port]}, where the host is a DNS name or an IPv6
 * literal in brackets ({@code docker.io}, {@code localhost:5000}, {@code [::1]:5000}). Docker Hub's
 * other names, {@code index.docker.io} and {@code registry-1.docker.io}, are normalised to
 * {@code docker.io}; {@link #apiHost()} is where its API really lives.
 *
 * <pre>{@code
 * Registry.parse("index.docker.io").host();     // "docker.io"
 * Registry.parse("docker.io").apiHost();        // "registry-1.docker.io"
 * Registry.parse("https://index.docker.io/v1/"); // docker.io: docker login's server-address forms work too
 * }</pre>
 *
 * <p>The host's case is kept as written (Docker does not fold it either); compare hosts with
 * {@link String#equalsIgnoreCase} when it matters.
 */
public record Registry(String host) {
    /** Docker Hub's canonical name in references. */
    public static final String DOCKER_HUB = "docker.io";
    /** Where Docker Hub's registry API answers. */
    public static final String DOCKER_HUB_API = "registry-1.docker.io";
    private static final String COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern GRAMMAR = Pattern.compile(
            "(" + COMPONENT + "(?:\\." + COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::([0-9]{1,5}))?");
    private static final int MAX_LENGTH = 255;

    /** Normalises Docker Hub's aliases and validates the grammar, port 1–65535 included. */
    public Registry {
        if (host == null || host.isEmpty() || host.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid registry host: " + Digest.abbreviate(host));
        }
        Matcher m = GRAMMAR.matcher(host);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid registry host: " + Digest.abbreviate(host));
        }
        if (m.group(2) != null) {
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid registry port: " + host);
            }
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("index.docker.io") || lower.equals(DOCKER_HUB_API) || lower.equals(DOCKER_HUB)) {
            host = DOCKER_HUB;
        }
    }

    public static Registry dockerHub() {
        return new Registry(DOCKER_HUB);
    }

    /**
     * Parses {@code host[:port]}. As {@code docker login} does, a scheme and a path are tolerated and
     * dropped: {@code https://index.docker.io/v1/} is Docker Hub.
     *
     * @throws IllegalArgumentException when what remains is no valid host
     */
    public static Registry parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid registry host: null");
        }
        String host = text.strip();
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return new Registry(host);
    }

    public boolean isDockerHub() {
        return host.equals(DOCKER_HUB);
    }

    /** The {@code host[:port]} that serves the API: {@code registry-1.docker.io} for Docker Hub. */
    public String apiHost() {
        return isDockerHub() ? DOCKER_HUB_API : host;
    }

    /** The host name or address without port; an IPv6 literal without its brackets. */
    public String hostname() {
        if (host.startsWith("[")) {
            return host.substring(1, host.indexOf(']'));
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The explicit port, if the reference named one. */
    public OptionalInt port() {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || host.startsWith("[") && colon < host.indexOf(']')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(host.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return host;
    }
}
