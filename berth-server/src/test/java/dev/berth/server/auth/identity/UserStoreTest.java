package dev.berth.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.auth.Principal;
import dev.berth.server.meta.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserStoreTest {
    private static final String SECRET = "correct horse:battery:staple";

    @TempDir
    Path tempDir;

    Database db;
    UserStore users;

    @BeforeEach
    void open() {
        db = Database.sqlite(tempDir.resolve("berth.db"));
        users = new UserStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aUserAuthenticatesWithTheirPasswordOnly() {
        users.add("alice", SECRET, false, Set.of("devs", "ops"));

        assertThat(users.authenticate("alice", SECRET))
                .contains(new Principal.User("alice", Set.of("devs", "ops"), false));
        assertThat(users.authenticate("alice", "wrong")).isEmpty();
        assertThat(users.authenticate("alice", "")).isEmpty();
        assertThat(users.authenticate("alice", null)).isEmpty();
        assertThat(users.authenticate("bob", SECRET)).isEmpty();
        assertThat(users.authenticate(null, SECRET)).isEmpty();
        assertThat(users.authenticate("Alice", SECRET)).isEmpty();
    }

    @Test
    void passwordsAreStoredAsBcrypt2yAtCost10() {
        users.add("alice", SECRET, true, Set.of());

        String hash = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT password_hash FROM users WHERE name = 'alice'");
                 ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        });
        assertThat(hash).startsWith("$2y$10$").hasSize(60).doesNotContain(SECRET);
    }

    @Test
    void passwordsWithColonsAndUnicodeWork() {
        users.add("carol", ":", false, Set.of());
        users.add("dave", "pässwörd:ünïcode:🔑", false, Set.of());

        assertThat(users.authenticate("carol", ":")).isPresent();
        assertThat(users.authenticate("dave", "pässwörd:ünïcode:🔑")).isPresent();
        assertThat(users.authenticate("dave", "pässwörd")).isEmpty();
    }

    @Test
    void aDuplicateNameIsAClearError() {
        users.add("alice", SECRET, false, Set.of());

        assertThatThrownBy(() -> users.add("alice", "other", true, Set.of("x")))
                .isInstanceOf(UserException.Exists.class)
                .hasMessage("user alice already exists");
        assertThat(users.authenticate("alice", SECRET)).contains(new Principal.User("alice", Set.of(), false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Alice", "-alice", ".alice", "_a", "al ice", "al/ice", "al:ice", "al\0ice", "äl",
            "a2345678901234567890123456789012345678901234567890123456789012345"})
    void invalidNamesAreRefused(String name) {
        assertThatThrownBy(() -> users.add(name, SECRET, false, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid user name");
        assertThat(users.list()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "alice", "a.b_c-d", "a-", "a234567890123456789012345678901234567890123456789012345678901234"})
    void validNamesAreAccepted(String name) {
        assertThat(UserStore.isValidName(name)).isTrue();
    }

    @Test
    void invalidGroupsAreRefused() {
        assertThatThrownBy(() -> users.add("alice", SECRET, false, Set.of("Dev s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid group name");
        assertThat(users.list()).isEmpty();
    }

    @Test
    void emptyAndOverlongPasswordsAreRefusedWithoutEchoingThem() {
        String tooLong = "secret-" + "x".repeat(70);
        assertThatThrownBy(() -> users.add("alice", "", false, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the password is empty");
        assertThatThrownBy(() -> users.add("alice", tooLong, false, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("72 bytes")
                .hasMessageNotContaining("secret-");
        users.add("alice", "é".repeat(36), false, Set.of()); // 72 bytes exactly
        assertThat(users.authenticate("alice", "é".repeat(36))).isPresent();
    }

    @Test
    void listShowsNamesAdminFlagsAndGroupsInNameOrder() {
        users.add("zed", SECRET, false, Set.of());
        users.add("alice", SECRET, true, Set.of("ops", "devs"));

        assertThat(users.list()).containsExactly(
                new Principal.User("alice", Set.of("devs", "ops"), true),
                new Principal.User("zed", Set.of(), false));
    }

    @Test
    void aNewPasswordCountsAtOnceAndTheOldOneStops() {
        users.add("alice", SECRET, false, Set.of());
        assertThat(users.authenticate("alice", SECRET)).isPresent(); // now cached

        users.setPassword("alice", "new:password");

        assertThat(users.authenticate("alice", SECRET)).isEmpty();
        assertThat(users.authenticate("alice", "new:password")).isPresent();
    }

    @Test
    void groupChangesCountAtOnceEvenForACachedLogin() {
        users.add("alice", SECRET, false, Set.of("devs"));
        assertThat(users.authenticate("alice", SECRET).orElseThrow().groups()).containsExactly("devs");

        users.setGroups("alice", Set.of());
        assertThat(users.authenticate("alice", SECRET).orElseThrow().groups()).isEmpty();

        users.setGroups("alice", List.of("ops", "ops", "qa"));
        assertThat(users.authenticate("alice", SECRET).orElseThrow().groups()).containsExactlyInAnyOrder("ops", "qa");

        users.setAdmin("alice", true);
        assertThat(users.authenticate("alice", SECRET).orElseThrow().admin()).isTrue();
        assertThat(users.lookup("alice")).contains(new Principal.User("alice", Set.of("ops", "qa"), true));
    }

    @Test
    void aRemovedUserCannotLogInEvenWithACachedPassword() {
        users.add("alice", SECRET, false, Set.of("devs"));
        assertThat(users.authenticate("alice", SECRET)).isPresent();

        assertThat(users.remove("alice")).isTrue();

        assertThat(users.authenticate("alice", SECRET)).isEmpty();
        assertThat(users.lookup("alice")).isEmpty();
        assertThat(users.remove("alice")).isFalse();
        assertThat(users.remove("Not A Name")).isFalse();
        long groups = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM user_groups"); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
        assertThat(groups).isZero();
    }

    @Test
    void aUserReAddedUnderTheSameNameNeedsTheNewPassword() {
        users.add("alice", SECRET, true, Set.of());
        assertThat(users.authenticate("alice", SECRET)).isPresent();
        users.remove("alice");
        users.add("alice", "other", false, Set.of());

        assertThat(users.authenticate("alice", SECRET)).isEmpty();
        assertThat(users.authenticate("alice", "other")).contains(new Principal.User("alice", Set.of(), false));
    }

    @Test
    void changesByAnotherProcessOnTheSameFileCountAtOnce() {
        users.add("alice", SECRET, false, Set.of("devs"));
        assertThat(users.authenticate("alice", SECRET)).isPresent(); // cached in this "server"

        try (Database cliDb = Database.sqlite(tempDir.resolve("berth.db"))) {
            UserStore cli = new UserStore(cliDb);
            cli.setGroups("alice", Set.of());
            assertThat(users.authenticate("alice", SECRET).orElseThrow().groups()).isEmpty();

            cli.setPassword("alice", SECRET); // same password, new salt: the cached match no longer counts
            assertThat(users.authenticate("alice", SECRET)).isPresent();

            cli.setPassword("alice", "rotated");
            assertThat(users.authenticate("alice", SECRET)).isEmpty();

            cli.remove("alice");
            assertThat(users.authenticate("alice", "rotated")).isEmpty();
        }
    }

    @Test
    void changesToMissingUsersAreClearErrors() {
        assertThatThrownBy(() -> users.setPassword("ghost", "secret-pw"))
                .isInstanceOf(UserException.Unknown.class)
                .hasMessage("no such user: ghost");
        assertThatThrownBy(() -> users.setGroups("ghost", Set.of("devs"))).isInstanceOf(UserException.Unknown.class);
        assertThatThrownBy(() -> users.setAdmin("ghost", true)).isInstanceOf(UserException.Unknown.class);
        assertThat(users.list()).isEmpty();
    }

    @Test
    void aSuccessfulCheckIsCachedSoTheNextOneSkipsBcrypt() {
        users.add("alice", SECRET, false, Set.of());
        long first = timeAuthenticate("alice", SECRET);
        List<Long> cached = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cached.add(timeAuthenticate("alice", SECRET));
        }

        assertThat(first).as("a bcrypt check at cost 10").isGreaterThan(Duration.ofMillis(20).toNanos());
        assertThat(cached.stream().mapToLong(Long::longValue).min().orElseThrow())
                .as("a cached check").isLessThan(first / 4);
    }

    @Test
    void anUnknownUserCostsABcryptCheckToo() {
        users.add("alice", SECRET, false, Set.of());
        long unknown = Long.MAX_VALUE;
        long wrong = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            unknown = Math.min(unknown, timeAuthenticate("nobody", SECRET));
            wrong = Math.min(wrong, timeAuthenticate("alice", "wrong"));
        }

        assertThat(unknown).isGreaterThan(Duration.ofMillis(20).toNanos()).isGreaterThan(wrong / 3);
    }

    @Test
    void secretsNeverReachTheLogOrExceptionMessages() {
        String password = "hunter2-do-not-log";
        try (LogCapture log = new LogCapture()) {
            users.add("alice", password, false, Set.of());
            users.authenticate("alice", password);
            users.authenticate("alice", password + "x");
            users.authenticate("nobody", password);
            Throwable duplicate = catchThrowable(() -> users.add("alice", password, false, Set.of()));
            Throwable unknown = catchThrowable(() -> users.setPassword("ghost", password));

            assertThat(duplicate.getMessage()).doesNotContain(password);
            assertThat(unknown.getMessage()).doesNotContain(password);
            assertThat(log.all()).doesNotContain(password).doesNotContain("$2y$");
        }
    }

    private long timeAuthenticate(String name, String password) {
        long start = System.nanoTime();
        users.authenticate(name, password);
        return System.nanoTime() - start;
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected an exception");
    }
}
