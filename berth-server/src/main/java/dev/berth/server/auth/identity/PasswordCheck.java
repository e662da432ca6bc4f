package dev.berth.server.auth.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bcrypt checks with a cache of successes. bcrypt at cost 10 takes about 80 ms, and a registry client
 * sends Basic credentials with every request, so a match is remembered: HMAC-SHA256 under a random
 * key of this instance over {@code name NUL password} → the stored hash it matched. A remembered match
 * counts only while the stored hash is still the same, so a new password (or a removed user, who has
 * none) is checked afresh. Neither passwords nor anything an attacker could test offline without the
 * key are kept, and the key never leaves this process.
 *
 * <p>Without a stored hash (an unknown user), a bcrypt check against a dummy hash still runs, so the
 * time of a failure does not tell unknown users from wrong passwords.
 */
final class PasswordCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordCheck.class);
    static final int COST = 10;
    /** bcrypt reads at most 72 bytes; Apache {@code htpasswd} truncates longer passwords to them. */
    static final int MAX_PASSWORD_BYTES = 72;
    /** A cost-10 hash of a random password nobody kept: what unknown users are checked against. */
    private static final String DUMMY_HASH = "$2y$10$Sdigta9aLYtgPYVv3ydaBeuf6lDSc3jG3Eur2tVMMYnCGo0fb1uKe";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(BCrypt.Version.VERSION_2Y,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

    private final SecretKeySpec key;
    private final Map<String, String> matched;

    PasswordCheck(int capacity) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.matched = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A new {@code $2y$} hash of {@code password} at cost 10; the caller has checked its length. */
    static String hash(String password) {
        return BCrypt.with(BCrypt.Version.VERSION_2Y, RANDOM, LongPasswordStrategies.strict(BCrypt.Version.VERSION_2Y))
                .hashToString(COST, password.toCharArray());
    }

    /** Whether {@code hash} is a bcrypt hash this check accepts: {@code $2a$}, {@code $2b$} or {@code $2y$}. */
    static boolean isBcrypt(String hash) {
        return hash != null && (hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$"));
    }

    /**
     * Whether {@code password} is {@code name}'s, whose stored hash is {@code storedHash} ({@code null}
     * for an unknown user, who never matches).
     */
    boolean matches(String name, String password, String storedHash) {
        if (name == null || password == null || name.indexOf('\0') >= 0 || !isBcrypt(storedHash)) {
            verify(password == null ? "" : password, DUMMY_HASH);
            return false;
        }
        String cacheKey = mac(name, password);
        synchronized (matched) {
            if (storedHash.equals(matched.get(cacheKey))) {
                return true;
            }
        }
        boolean ok = verify(password, storedHash);
        synchronized (matched) {
            if (ok) {
                matched.put(cacheKey, storedHash);
            } else {
                matched.remove(cacheKey);
            }
        }
        return ok;
    }

    private static boolean verify(String password, String hash) {
        try {
            return VERIFYER.verify(password.toCharArray(), hash.toCharArray()).verified;
        } catch (RuntimeException e) {
            // Log the kind of failure only: nothing of the input reaches the log.
            LOG.warn("bcrypt verification failed: {}", e.getClass().getSimpleName());
            return false;
        }
    }

    private String mac(String name, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** How many matches are remembered now (tests). */
    int remembered() {
        synchronized (matched) {
            return matched.size();
        }
    }
}
