package dev.berth.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.auth.Principal;
import dev.berth.server.meta.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshTokensTest {
    @TempDir
    Path tempDir;

    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    Database db;
    UserStore users;
    RefreshTokens tokens;

    @BeforeEach
    void open() {
        db = Database.sqlite(tempDir.resolve("berth.db"));
        users = new UserStore(db, clock);
        tokens = new RefreshTokens(db, users, clock);
        users.add("alice", "pw", false, Set.of());
        users.add("bob", "pw", false, Set.of());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void anIssuedTokenRedeemsToItsUserUntilItExpires() {
        String token = tokens.issue("alice", Duration.ofHours(1));

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(tokens.redeem(token)).contains("alice");
        assertThat(tokens.redeem(token)).as("redeeming does not use it up").contains("alice");

        clock.advance(Duration.ofMinutes(59));
        assertThat(tokens.redeem(token)).contains("alice");
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.redeem(token)).isEmpty();
    }

    @Test
    void tokensAreRandomAndStoredOnlyAsTheirSha256() throws Exception {
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            issued.add(tokens.issue("alice", Duration.ofDays(1)));
        }
        assertThat(issued).hasSize(20);

        List<String> rows = db.read(c -> {
            List<String> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT token_hash, user_name FROM refresh_tokens");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    all.add(r.getString(1) + " " + r.getString(2));
                }
            }
            return all;
        });
        String one = issued.iterator().next();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(one.getBytes(StandardCharsets.US_ASCII)));
        assertThat(rows).hasSize(20).contains(sha256 + " alice");
        assertThat(String.join("\n", rows)).doesNotContain(one);
    }

    @Test
    void malformedAndUnknownTokensRedeemToNothing() {
        tokens.issue("alice", Duration.ofHours(1));

        assertThat(tokens.redeem(null)).isEmpty();
        assertThat(tokens.redeem("")).isEmpty();
        assertThat(tokens.redeem("x".repeat(43))).isEmpty();
        assertThat(tokens.redeem("not a token")).isEmpty();
        assertThat(tokens.redeem("x".repeat(100_000))).isEmpty();
    }

    @Test
    void revokedTokensStopAndOthersStay() {
        String first = tokens.issue("alice", Duration.ofHours(1));
        String second = tokens.issue("alice", Duration.ofHours(1));
        String bobs = tokens.issue("bob", Duration.ofHours(1));

        assertThat(tokens.revoke(first)).isTrue();
        assertThat(tokens.revoke(first)).isFalse();
        assertThat(tokens.revoke("garbage")).isFalse();
        assertThat(tokens.redeem(first)).isEmpty();
        assertThat(tokens.redeem(second)).contains("alice");

        assertThat(tokens.revokeAll("alice")).isEqualTo(1);
        assertThat(tokens.redeem(second)).isEmpty();
        assertThat(tokens.redeem(bobs)).contains("bob");
    }

    @Test
    void removingAUserRevokesTheirTokensForGood() {
        String token = tokens.issue("alice", Duration.ofHours(1));

        users.remove("alice");
        assertThat(tokens.redeem(token)).isEmpty();

        users.add("alice", "again", false, Set.of());
        assertThat(tokens.redeem(token)).as("a new alice does not inherit the old one's tokens").isEmpty();
    }

    @Test
    void aNewPasswordRevokesTheUsersTokens() {
        String token = tokens.issue("alice", Duration.ofHours(1));
        String bobs = tokens.issue("bob", Duration.ofHours(1));

        users.setPassword("alice", "rotated");

        assertThat(tokens.redeem(token)).isEmpty();
        assertThat(tokens.redeem(bobs)).contains("bob");
    }

    @Test
    void aTokenOfAUserTheDirectoryNoLongerKnowsIsRefused() {
        Set<String> known = new HashSet<>(Set.of("carol"));
        UserDirectory directory = new UserDirectory() {
            @Override
            public Optional<Principal.User> authenticate(String name, String password) {
                return Optional.empty();
            }

            @Override
            public Optional<Principal.User> lookup(String name) {
                return known.contains(name) ? Optional.of(new Principal.User(name, Set.of(), false)) : Optional.empty();
            }
        };
        RefreshTokens htpasswdTokens = new RefreshTokens(db, directory, clock);
        String token = htpasswdTokens.issue("carol", Duration.ofHours(1));
        assertThat(htpasswdTokens.redeem(token)).contains("carol");

        known.clear();
        assertThat(htpasswdTokens.redeem(token)).isEmpty();
    }

    @Test
    void issuingPurgesExpiredRows() {
        tokens.issue("alice", Duration.ofMinutes(1));
        tokens.issue("alice", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        tokens.issue("bob", Duration.ofMinutes(1));

        long rows = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM refresh_tokens"); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void issuingChecksItsArguments() {
        assertThatThrownBy(() -> tokens.issue("alice", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("alice", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("", Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
