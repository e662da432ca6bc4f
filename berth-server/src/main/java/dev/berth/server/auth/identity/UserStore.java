package dev.berth.server.auth.identity;

import dev.berth.server.auth.Principal;
import dev.berth.server.meta.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * berth's own users, in the {@code users} and {@code user_groups} tables of the shared
 * {@link Database}: bcrypt {@code $2y$} hashes at cost 10, groups, an admin flag. The server reads
 * them; the {@code berth user} command changes them, often from another process on the same file.
 *
 * <pre>{@code
 * UserStore users = new UserStore(db);
 * users.add("alice", "s3cret:with:colons", false, Set.of("devs"));
 * users.authenticate("alice", "s3cret:with:colons"); // Optional[User[name=alice, groups=[devs], admin=false]]
 * users.setGroups("alice", Set.of());                 // her next request no longer counts as devs
 * }</pre>
 *
 * <p><b>Names</b> of users and groups are {@code [a-z0-9][a-z0-9._-]{0,63}}: lower case, so each is
 * also a valid repository path component (the default policy gives every user {@code <name>/**}).
 * <b>Passwords</b> are 1 to 72 bytes of UTF-8 (what bcrypt reads), any characters, {@code :}
 * included.
 *
 * <p><b>Freshness.</b> {@link #authenticate} reads the user's row on every call, so removal, a new
 * password, a changed admin flag or a changed group counts from the next request on, whichever process
 * made the change. Only the bcrypt work is cached (see {@link PasswordCheck}): a remembered success
 * counts while the stored hash is unchanged.
 *
 * <p>Removing a user, or giving them a new password, also revokes their refresh tokens. Failures of
 * the database surface as {@link dev.berth.server.meta.MetadataException}; bad arguments as
 * {@link IllegalArgumentException} and changes to missing or duplicate users as {@link UserException},
 * with messages that never contain a password.
 */
public final class UserStore implements UserDirectory {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int CACHE_CAPACITY = 10_000;
    private static final String SELECT_USER = """
            SELECT u.name, u.password_hash, u.admin, g.group_name
            FROM users u LEFT JOIN user_groups g ON g.user_name = u.name
            """;
    private static final String SELECT_ONE_USER = SELECT_USER + " WHERE u.name = ?";
    private static final String SELECT_ALL_USERS = SELECT_USER + " ORDER BY u.name, g.group_name";

    private final Database db;
    private final Clock clock;
    private final PasswordCheck check = new PasswordCheck(CACHE_CAPACITY);

    public UserStore(Database db) {
        this(db, Clock.systemUTC());
    }

    public UserStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Whether {@code name} is a valid user or group name. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * Adds a user.
     *
     * @throws UserException.Exists when the name is taken
     * @throws IllegalArgumentException for an invalid name, group or password
     */
    public void add(String name, String password, boolean admin, Collection<String> groups) {
        checkName("user", name);
        Set<String> checkedGroups = checkGroups(groups);
        String hash = PasswordCheck.hash(checkPassword(password)); // outside the write lock: ~80 ms
        db.write(c -> {
            int added = Sql.update(c, """
                    INSERT INTO users (name, password_hash, admin, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO NOTHING
                    """, name, hash, admin, clock.millis());
            if (added == 0) {
                throw new UserException.Exists(name);
            }
            insertGroups(c, name, checkedGroups);
            return null;
        });
    }

    /**
     * Gives a user a new password and revokes their refresh tokens.
     *
     * @throws UserException.Unknown when there is no such user
     */
    public void setPassword(String name, String password) {
        checkName("user", name);
        String hash = PasswordCheck.hash(checkPassword(password));
        db.write(c -> {
            requireUpdated(name, Sql.update(c, "UPDATE users SET password_hash = ? WHERE name = ?", hash, name));
            revokeTokens(c, name);
            return null;
        });
    }

    /**
     * Replaces a user's groups.
     *
     * @throws UserException.Unknown when there is no such user
     */
    public void setGroups(String name, Collection<String> groups) {
        checkName("user", name);
        Set<String> checkedGroups = checkGroups(groups);
        db.write(c -> {
            // Touching the row first also checks that the user exists.
            requireUpdated(name, Sql.update(c, "UPDATE users SET admin = admin WHERE name = ?", name));
            Sql.update(c, "DELETE FROM user_groups WHERE user_name = ?", name);
            insertGroups(c, name, checkedGroups);
            return null;
        });
    }

    /**
     * Makes a user an administrator or not.
     *
     * @throws UserException.Unknown when there is no such user
     */
    public void setAdmin(String name, boolean admin) {
        checkName("user", name);
        db.write(c -> {
            requireUpdated(name, Sql.update(c, "UPDATE users SET admin = ? WHERE name = ?", admin, name));
            return null;
        });
    }

    /** Removes a user, their groups and their refresh tokens; {@code false} when there was no such user. */
    public boolean remove(String name) {
        if (!isValidName(name)) {
            return false;
        }
        return db.write(c -> {
            Sql.update(c, "DELETE FROM user_groups WHERE user_name = ?", name);
            if (Sql.update(c, "DELETE FROM users WHERE name = ?", name) == 0) {
                return false;
            }
            revokeTokens(c, name);
            return true;
        });
    }

    /** Every user, in name order, with admin flag and groups; never a hash. */
    public List<Principal.User> list() {
        return db.read(c -> users(c, SELECT_ALL_USERS)).values().stream()
                .map(UserRow::user).toList();
    }

    @Override
    public Optional<Principal.User> lookup(String name) {
        return row(name).map(UserRow::user);
    }

    @Override
    public Optional<Principal.User> authenticate(String name, String password) {
        Optional<UserRow> row = row(name);
        String storedHash = row.map(UserRow::hash).orElse(null);
        return check.matches(name, password, storedHash) ? row.map(UserRow::user) : Optional.empty();
    }

    private Optional<UserRow> row(String name) {
        if (!isValidName(name)) {
            return Optional.empty();
        }
        Map<String, UserRow> found = db.read(c -> users(c, SELECT_ONE_USER, name));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.values().iterator().next());
    }

    private record UserRow(String name, String hash, boolean admin, Set<String> groups) {
        Principal.User user() {
            return new Principal.User(name, groups, admin);
        }
    }

    /**
     * The users a {@link #SELECT_USER} query finds, from its rows (one per user and group). The statement
     * is the connection's cached one: every token request and Basic login looks its user up.
     */
    private Map<String, UserRow> users(Connection c, String sql, String... args) throws SQLException {
        PreparedStatement s = db.prepare(c, sql);
        for (int i = 0; i < args.length; i++) {
            s.setString(i + 1, args[i]);
        }
        Map<String, UserRow> users = new LinkedHashMap<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String name = r.getString(1);
                UserRow user = users.get(name);
                if (user == null) {
                    user = new UserRow(name, r.getString(2), r.getBoolean(3), new TreeSet<>());
                    users.put(name, user);
                }
                String group = r.getString(4);
                if (group != null) {
                    user.groups().add(group);
                }
            }
        }
        return users;
    }

    private static void insertGroups(Connection c, String name, Set<String> groups) throws SQLException {
        for (String group : groups) {
            Sql.update(c, "INSERT INTO user_groups (user_name, group_name) VALUES (?, ?)", name, group);
        }
    }

    private static void revokeTokens(Connection c, String name) throws SQLException {
        Sql.update(c, "UPDATE refresh_tokens SET revoked = ? WHERE user_name = ?", true, name);
    }

    private static void requireUpdated(String name, int rows) {
        if (rows == 0) {
            throw new UserException.Unknown(name);
        }
    }

    private static void checkName(String kind, String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid " + kind + " name '" + abbreviate(name)
                    + "': expected 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
        }
    }

    private static Set<String> checkGroups(Collection<String> groups) {
        Set<String> checked = new TreeSet<>();
        for (String group : groups) {
            checkName("group", group);
            checked.add(group);
        }
        return checked;
    }

    private static String checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordCheck.MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("the password is longer than bcrypt's "
                    + PasswordCheck.MAX_PASSWORD_BYTES + " bytes (UTF-8)");
        }
        return password;
    }

    private static String abbreviate(String name) {
        if (name == null) {
            return "";
        }
        String printable = name.codePoints().limit(80)
                .map(cp -> Character.isISOControl(cp) ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return name.length() > 80 ? printable + "…" : printable;
    }
}
