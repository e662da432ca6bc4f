package dev.berth.client.internal.auth;

import dev.berth.client.internal.http.Addresses;
import dev.berth.spec.Registry;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Whether a registry's token realm may receive the user's credentials for that registry: the guard
 * against a registry (or whoever forges its 401) sending a client's password to another server
 * (CVE-2026-33540, bearer realm not bound to the upstream). Credentials go to a realm when
 *
 * <ol>
 *   <li>its host was trusted explicitly ({@code host} or {@code host:port}), or
 *   <li>it is the registry's own host (any port), or
 *   <li>both are loopback ({@code localhost} ↔ {@code 127.0.0.1} is one machine), or
 *   <li>both are names in the same registrable domain per the Public Suffix List
 *       ({@code registry-1.docker.io} → {@code auth.docker.io}; {@code a.github.io} ↛ {@code b.github.io}).
 * </ol>
 * A realm on an IP literal passes only by rules 1–3, so a private or loopback address never gets the
 * credentials of a registry that is not there itself. Everything else gets an anonymous token request.
 */
public final class RealmPolicy {
    private final Set<String> trusted;
    private final Supplier<PublicSuffixList> suffixes;

    public RealmPolicy(Set<String> trustedRealmHosts, PublicSuffixList suffixes) {
        this(trustedRealmHosts, () -> suffixes);
    }

    /** With the list loaded only when a judgement needs it (most never do: the realm is on the registry's host). */
    public RealmPolicy(Set<String> trustedRealmHosts, Supplier<PublicSuffixList> suffixes) {
        this.trusted = trustedRealmHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.suffixes = suffixes;
    }

    /** @param credentials whether the realm may have the credentials; {@code reason} says why (not) */
    public record Decision(boolean credentials, String reason) {
    }

    public Decision judge(Registry registry, URI realm) {
        String realmHost = realm.getHost() == null ? null : unbracket(realm.getHost().toLowerCase(Locale.ROOT));
        if (realmHost == null || realmHost.isEmpty()) {
            return new Decision(false, "realm " + realm + " has no host");
        }
        String registryHost = unbracket(registryHost(registry).toLowerCase(Locale.ROOT));
        if (trusted.contains(realmHost) || realm.getPort() >= 0 && trusted.contains(realmHost + ":" + realm.getPort())) {
            return new Decision(true, "realm host " + realmHost + " is trusted explicitly");
        }
        if (realmHost.equals(registryHost)) {
            return new Decision(true, "realm is on the registry's host");
        }
        if (Addresses.isLoopback(realmHost) && Addresses.isLoopback(registryHost)) {
            return new Decision(true, "realm and registry are both loopback");
        }
        if (Addresses.isPrivateOrLoopback(realmHost) || Addresses.isIpLiteral(realmHost)) {
            return new Decision(false, "realm " + realmHost + " is an address, not the registry's host " + registryHost);
        }
        var realmSite = suffixes.get().registrableDomain(realmHost);
        var registrySite = suffixes.get().registrableDomain(registryHost);
        if (realmSite.isPresent() && realmSite.equals(registrySite)) {
            return new Decision(true, "realm is in the registry's domain " + realmSite.get());
        }
        return new Decision(false, "realm " + realmHost + " is outside the registry's domain ("
                + registrySite.orElse(registryHost) + ")");
    }

    private static String registryHost(Registry registry) {
        String api = registry.apiHost();
        if (api.startsWith("[")) {
            return api.substring(0, api.indexOf(']') + 1);
        }
        int colon = api.indexOf(':');
        return colon < 0 ? api : api.substring(0, colon);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
