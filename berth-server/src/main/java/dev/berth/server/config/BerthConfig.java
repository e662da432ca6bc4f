package dev.berth.server.config;

/**
 * Everything {@code berth serve} can be told, as read from {@code berth.yml}, {@code BERTH_*}
 * environment variables and flags (see {@link ConfigLoader}). Every key has a default, so no file is
 * needed at all.
 */
public record BerthConfig(Http http, Storage storage, Registry registry, Auth auth, RateLimit rateLimit) {

    /**
     * @param addr where to listen, {@code host:port}
     * @param allowPublicWithoutAuth permits a non-loopback {@code addr} although nobody is authenticated
     * @param loopbackCongestionControl the TCP congestion control of connections from this host (empty: the
     *     system's); see {@code LoopbackCongestionControl}
     */
    public record Http(String addr, boolean allowPublicWithoutAuth, String loopbackCongestionControl) {
    }

    /** @param path the data directory: blobs under {@code blobs/}, metadata in {@code berth.db} */
    public record Storage(String path) {
    }

    /**
     * @param deleteEnabled whether manifests, tags and blobs may be deleted
     * @param maxTagsPage the largest page of a tag list
     * @param maxCatalogPage the largest page of the catalog
     * @param uploadLifetimeHours how long an unfinished upload is kept before it is purged
     */
    public record Registry(boolean deleteEnabled, int maxTagsPage, int maxCatalogPage, int uploadLifetimeHours) {
    }

    /**
     * @param mode {@code none}, {@code htpasswd} (Basic) or {@code token} (Bearer, with the token service)
     * @param realm token mode: the token endpoint clients are sent to (empty: {@code http://<addr>/token});
     *     htpasswd mode: the Basic realm (empty: {@code berth})
     * @param service the token audience (empty: the listen address)
     * @param issuer the token issuer name
     * @param htpasswd the htpasswd file (empty: {@code <data>/htpasswd})
     * @param policy the access rules file (empty: {@code <data>/policy.yml}; missing file: default rules)
     * @param tokenService whether this process serves {@code /token} in token mode
     * @param tokenLifetimeSeconds how long issued tokens live (at least 60)
     * @param algorithm the token signature, {@code ES256} or {@code RS256}
     * @param trustedCertificates a PEM bundle of further issuers' certificates to accept tokens from
     *     (empty: only berth's own)
     * @param trustedIssuers further issuer names to accept, comma-separated
     * @param otherServices further audiences the token service issues tokens for, comma-separated: other
     *     registries (CNCF distribution, …) that trust berth's certificate and name berth as their realm
     */
    public record Auth(String mode, String realm, String service, String issuer, String htpasswd, String policy,
            boolean tokenService, int tokenLifetimeSeconds, String algorithm, String trustedCertificates,
            String trustedIssuers, String otherServices) {
    }

    /**
     * @param enabled whether manifest pulls are limited
     * @param anonymous pulls per window for an anonymous address (IPv6: per /64)
     * @param authenticated pulls per window for a user
     * @param windowSeconds the window
     */
    public record RateLimit(boolean enabled, int anonymous, int authenticated, int windowSeconds) {
    }

    public static BerthConfig defaults() {
        return new BerthConfig(
                new Http("127.0.0.1:5000", false, "reno"),
                new Storage("./berth-data"),
                new Registry(true, 10_000, 1_000, 168),
                new Auth("none", "", "", "berth", "", "", true, 300, "ES256", "", "", ""),
                new RateLimit(false, 100, 200, 21_600));
    }
}
