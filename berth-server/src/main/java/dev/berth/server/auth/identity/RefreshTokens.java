package dev.berth.server.auth.identity;

import dev.berth.server.meta.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Refresh tokens of the token service (OAuth2 {@code grant_type=refresh_token}, Docker's
 * {@code identitytoken}): 256 random bits, base64url without padding (43 characters), handed to the
 * client once and kept in the {@code refresh_tokens} table only as their SHA-256, so a copy of the
 * database holds nothing a client could present.
 *
 * <pre>{@code
 * RefreshTokens tokens = new RefreshTokens(db, users);
 * String token = tokens.issue("alice", Duration.ofDays(30)); // → the client, once
 * tokens.redeem(token);                                       // Optional[alice], while valid
 * tokens.revokeAll("alice");                                  // e.g. on logout everywhere
 * }</pre>
 *
 * <p>A token is good until it expires, is revoked, or its user is gone from {@code users} (the
 * {@link UserDirectory} given here, asked on every redeem): {@link UserStore#remove} and
 * {@link UserStore#setPassword} also revoke a user's tokens. Redeeming does not use a token up.
 * Expired rows are purged as new tokens are issued.
 */
public final class RefreshTokens {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final UserDirectory users;
    private final Clock clock;

    public RefreshTokens(Database db, UserDirectory users) {
        this(db, users, Clock.systemUTC());
    }

    public RefreshTokens(Database db, UserDirectory users, Clock clock) {
        this.db = db;
        this.users = users;
        this.clock = clock;
    }

    /** A new token for {@code user}, valid for {@code lifetime}. */
    public String issue(String user, Duration lifetime) {
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("a refresh token needs a user");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a refresh token's lifetime must be positive: " + lifetime);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long now = clock.millis();
        long expires = clock.instant().plus(lifetime).toEpochMilli();
        db.write(c -> {
            Sql.update(c, "DELETE FROM refresh_tokens WHERE expires_at <= ?", now);
            Sql.update(c, """
                    INSERT INTO refresh_tokens (token_hash, user_name, created_at, expires_at, revoked)
                    VALUES (?, ?, ?, ?, ?)
                    """, hash(token), user, now, expires, false);
            return null;
        });
        return token;
    }

    /** The user a token was issued to, while it is unexpired, unrevoked, and the user still exists. */
    public Optional<String> redeem(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        Optional<String> user = db.read(c -> {
            try (PreparedStatement s = Sql.prepare(c, """
                    SELECT user_name FROM refresh_tokens
                    WHERE token_hash = ? AND revoked = ? AND expires_at > ?
                    """, hash(token), false, clock.millis());
                 ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
            }
        });
        return user.filter(name -> users.lookup(name).isPresent());
    }

    /** Revokes one token; {@code false} when it was unknown or revoked already. */
    public boolean revoke(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return false;
        }
        return db.write(c -> Sql.update(c, "UPDATE refresh_tokens SET revoked = ? WHERE token_hash = ? AND revoked = ?",
                true, hash(token), false)) > 0;
    }

    /** Revokes every token of {@code user}; returns how many were still unrevoked. */
    public int revokeAll(String user) {
        return db.write(c -> Sql.update(c, "UPDATE refresh_tokens SET revoked = ? WHERE user_name = ? AND revoked = ?",
                true, user, false));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
