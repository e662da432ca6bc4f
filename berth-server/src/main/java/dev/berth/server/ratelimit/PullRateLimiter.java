package dev.berth.server.ratelimit;

import dev.berth.server.auth.Principal;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pull-rate limits as Docker Hub applies them: anonymous callers counted per address (IPv6 per /64),
 * users per account, each kind with its own {@link PullLimit}. Only manifest GETs count; a HEAD reads
 * the state without spending a pull. Each source holds a token bucket that refills evenly over the
 * window, so the limit is a smooth rate rather than a cliff at the window's end.
 *
 * <p>Counters live in this process: with several nodes, each enforces its own share.
 */
public final class PullRateLimiter {
    private static final int MAX_SOURCES = 100_000;

    private final PullLimit anonymous;
    private final PullLimit authenticated;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public PullRateLimiter(PullLimit anonymous, PullLimit authenticated, Clock clock) {
        this.anonymous = anonymous;
        this.authenticated = authenticated;
        this.clock = clock;
    }

    /** The limit that applies to a caller, which the token service also writes into tokens. */
    public PullLimit limitFor(Principal who) {
        return who instanceof Principal.User ? authenticated : anonymous;
    }

    /**
     * Admits a pull if the caller has one left, spending nothing yet: throws {@code TOOMANYREQUESTS}
     * (429, with {@code Retry-After}) otherwise. Returns the headers describing the caller's state.
     */
    public Map<String, String> admit(Principal who, InetAddress address) {
        return account(who, address, false, true);
    }

    /** The headers describing the caller's state, spending and refusing nothing (for HEAD requests). */
    public Map<String, String> peek(Principal who, InetAddress address) {
        return account(who, address, false, false);
    }

    /** Spends one pull, after a manifest was served; returns the headers to send with it. */
    public Map<String, String> take(Principal who, InetAddress address) {
        return account(who, address, true, false);
    }

    private Map<String, String> account(Principal who, InetAddress address, boolean spend, boolean requireOne) {
        PullLimit limit = limitFor(who);
        String source = switch (who) {
            case Principal.User user -> user.name();
            case Principal.Anonymous anon -> sourceOf(address);
        };
        long now = clock.millis();
        if (buckets.size() > MAX_SOURCES) {
            evictFull(now);
        }
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(limit, now));
        double remaining;
        synchronized (bucket) {
            bucket.refill(now);
            if (requireOne && bucket.tokens < 1) {
                long retryAfter = (long) Math.ceil((1 - bucket.tokens) * limit.window().toMillis() / limit.limit() / 1000.0);
                RegistryException tooMany = ErrorCode.TOOMANYREQUESTS.exception("pull rate limit exceeded for " + source)
                        .withHeader("Retry-After", Long.toString(Math.max(1, retryAfter)));
                for (Map.Entry<String, String> h : headers(limit, 0, source).entrySet()) {
                    tooMany = tooMany.withHeader(h.getKey(), h.getValue());
                }
                throw tooMany;
            }
            if (spend) {
                bucket.tokens = Math.max(0, bucket.tokens - 1);
            }
            remaining = bucket.tokens;
        }
        return headers(limit, (long) Math.floor(remaining), source);
    }

    private static Map<String, String> headers(PullLimit limit, long remaining, String source) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ratelimit-limit", limit.header(limit.limit()));
        headers.put("ratelimit-remaining", limit.header(remaining));
        headers.put("docker-ratelimit-source", source);
        return headers;
    }

    /** An address as a rate-limit source: IPv4 as is, IPv6 by its /64 network. */
    static String sourceOf(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    /** Drops the buckets that have refilled: a full bucket and no bucket mean the same. */
    private void evictFull(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                b.refill(now);
                return b.tokens >= b.limit.limit();
            }
        });
    }

    private static final class Bucket {
        final PullLimit limit;
        double tokens;
        long updated;

        Bucket(PullLimit limit, long now) {
            this.limit = limit;
            this.tokens = limit.limit();
            this.updated = now;
        }

        void refill(long now) {
            double perMilli = (double) limit.limit() / limit.window().toMillis();
            tokens = Math.min(limit.limit(), tokens + (now - updated) * perMilli);
            updated = now;
        }
    }
}
