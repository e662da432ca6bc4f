package dev.berth.client.internal.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where plain HTTP may be used: {@code localhost}, {@code 127.0.0.0/8} and {@code [::1]} always, and
 * the hosts marked insecure, each written {@code host} (every port) or {@code host:port}.
 */
public final class PlainHttpPolicy implements Predicate<URI> {
    private final Set<String> insecure;

    public PlainHttpPolicy(Set<String> insecureHosts) {
        this.insecure = insecureHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean test(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (Addresses.isLoopback(host)) {
            return true;
        }
        return insecure.contains(host) || uri.getPort() >= 0 && insecure.contains(host + ":" + uri.getPort());
    }
}
