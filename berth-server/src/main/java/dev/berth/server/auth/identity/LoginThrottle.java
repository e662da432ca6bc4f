package dev.berth.server.auth.identity;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Slows password guessing down: failed logins are counted per user name and per source address (an
 * IPv6 address per /64, what one host usually holds); after {@code maxFailures} failures within
 * {@code window}, further attempts for that user name, or from that address, are refused for
 * {@code lockout}, without checking the password.
 *
 * <pre>{@code
 * if (!throttle.allowed(name, source)) {
 *     throw tooManyAttempts();            // 429 or 401, and no bcrypt work
 * }
 * Optional<Principal.User> user = users.authenticate(name, password);
 * if (user.isPresent()) throttle.succeeded(name, source); else throttle.failed(name, source);
 * }</pre>
 *
 * <p>A success clears the failures counted for the user name, not those of the address: one good
 * account must not reset the count of a guesser who shares it. Counting per name also lets anyone lock
 * a user out for {@code lockout} by failing on purpose; that is the price of stopping guessers who
 * rotate addresses.
 *
 * <p>Memory is bounded: at most {@code maxEntries} names and addresses are tracked; past that, finished
 * entries go first, then the least recently touched that are not locked out. Thread-safe.
 */
public final class LoginThrottle {

    /**
     * @param maxFailures failures within {@code window} that start a lockout
     * @param window how long a failure counts
     * @param lockout how long attempts are refused then
     * @param maxEntries how many user names and addresses are tracked at most
     */
    public record Limits(int maxFailures, Duration window, Duration lockout, int maxEntries) {
        public Limits {
            if (maxFailures < 1 || maxEntries < 1 || window.isNegative() || window.isZero()
                    || lockout.isNegative() || lockout.isZero()) {
                throw new IllegalArgumentException("invalid login throttle limits");
            }
        }

        /** 10 failures in 5 minutes lock out for 5 minutes; 100,000 entries. */
        public static Limits defaults() {
            return new Limits(10, Duration.ofMinutes(5), Duration.ofMinutes(5), 100_000);
        }
    }

    private static final int MAX_NAME_LENGTH = 256;

    private final Limits limits;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** Failures within one window, and the end of a lockout if one is running. */
    private static final class Entry {
        Instant windowStart;
        int failures;
        Instant lockedUntil;

        boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        boolean finished(Instant now, Limits limits) {
            return !locked(now) && !now.isBefore(windowStart.plus(limits.window()));
        }
    }

    public LoginThrottle() {
        this(Limits.defaults(), Clock.systemUTC());
    }

    public LoginThrottle(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Whether an attempt for {@code user} from {@code source} may go ahead; either may be {@code null}. */
    public boolean allowed(String user, InetAddress source) {
        Instant now = clock.instant();
        synchronized (entries) {
            return !locked(userKey(user), now) && !locked(addressKey(source), now);
        }
    }

    /**
     * How long until an attempt for {@code user} from {@code source} is allowed again: the longer
     * remaining lockout of the two, {@link Duration#ZERO} when neither is locked out. For a
     * {@code Retry-After} header.
     */
    public Duration retryAfter(String user, InetAddress source) {
        Instant now = clock.instant();
        synchronized (entries) {
            Duration forUser = remaining(userKey(user), now);
            Duration address = remaining(addressKey(source), now);
            return forUser.compareTo(address) >= 0 ? forUser : address;
        }
    }

    /** Counts a failed attempt against {@code user} and {@code source}; either may be {@code null}. */
    public void failed(String user, InetAddress source) {
        Instant now = clock.instant();
        synchronized (entries) {
            fail(userKey(user), now);
            fail(addressKey(source), now);
        }
    }

    /** Clears the failures of {@code user}; those of {@code source} stay (see the class comment). */
    public void succeeded(String user, InetAddress source) {
        Instant now = clock.instant();
        synchronized (entries) {
            String key = userKey(user);
            Entry entry = key == null ? null : entries.get(key);
            if (entry != null && !entry.locked(now)) {
                entries.remove(key);
            }
        }
    }

    /** How many names and addresses are tracked now (tests). */
    int tracked() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private boolean locked(String key, Instant now) {
        if (key == null) {
            return false;
        }
        Entry entry = entries.get(key);
        return entry != null && entry.locked(now);
    }

    private Duration remaining(String key, Instant now) {
        Entry entry = key == null ? null : entries.get(key);
        return entry != null && entry.locked(now) ? Duration.between(now, entry.lockedUntil) : Duration.ZERO;
    }

    private void fail(String key, Instant now) {
        if (key == null) {
            return;
        }
        Entry entry = entries.get(key);
        if (entry == null) {
            makeRoom(now);
            entry = new Entry();
            entries.put(key, entry);
        }
        if (entry.locked(now)) {
            return; // attempts during a lockout should not get here; they do not extend it
        }
        if (entry.windowStart == null || !now.isBefore(entry.windowStart.plus(limits.window()))) {
            entry.windowStart = now;
            entry.failures = 0;
            entry.lockedUntil = null;
        }
        entry.failures++;
        if (entry.failures >= limits.maxFailures()) {
            entry.lockedUntil = now.plus(limits.lockout());
            entry.windowStart = entry.lockedUntil; // a fresh count after the lockout
            entry.failures = 0;
        }
    }

    /**
     * When full, frees a tenth of the room at once (so a flood of new keys costs one scan per tenth):
     * finished entries first, then the least recently touched of those not locked out, and locked-out
     * ones only when nothing else is left.
     */
    private void makeRoom(Instant now) {
        if (entries.size() < limits.maxEntries()) {
            return;
        }
        int target = limits.maxEntries() - Math.max(1, limits.maxEntries() / 10);
        entries.values().removeIf(entry -> entry.finished(now, limits));
        for (Iterator<Entry> it = entries.values().iterator(); entries.size() > target && it.hasNext(); ) {
            if (!it.next().locked(now)) {
                it.remove();
            }
        }
        for (Iterator<Entry> it = entries.values().iterator(); entries.size() > target && it.hasNext(); ) {
            it.next();
            it.remove();
        }
    }

    private static String userKey(String user) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        return "u:" + (user.length() > MAX_NAME_LENGTH ? user.substring(0, MAX_NAME_LENGTH) : user);
    }

    /** IPv4 addresses whole (IPv4-mapped IPv6 ones arrive as IPv4), IPv6 addresses by their /64. */
    static String addressKey(InetAddress source) {
        if (source == null) {
            return null;
        }
        byte[] bytes = source.getAddress();
        if (source instanceof Inet6Address) {
            return "a:" + HexFormat.of().formatHex(Arrays.copyOf(bytes, 8)) + "::/64";
        }
        return "a:" + source.getHostAddress();
    }
}
