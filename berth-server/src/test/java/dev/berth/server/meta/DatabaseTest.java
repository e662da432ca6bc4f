package dev.berth.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.Digest;
import dev.berth.spec.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    private static final RepositoryName ALPINE = RepositoryName.parse("library/alpine");

    @TempDir
    Path tempDir;

    @Test
    void migratesToTheIdentityTables() {
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"))) {
            assertThat(tables(db)).contains("repositories", "blobs", "manifests", "tags", "uploads",
                    "users", "user_groups", "refresh_tokens");
            assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
        }
    }

    @Test
    void storesShareOneDatabaseAndClosingAStoreLeavesItOpen() {
        Digest layer = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"))) {
            MetadataStore first = new JdbcMetadataStore(db);
            MetadataStore second = new JdbcMetadataStore(db);
            first.putBlob(layer, 7);
            first.close();

            second.linkBlob(ALPINE, layer);
            assertThat(second.isBlobLinked(ALPINE, layer)).isTrue();
            assertThat(count(db, "SELECT count(*) FROM repository_blobs")).isEqualTo(1);
        }
    }

    @Test
    void aStoreOpenedBySqliteOwnsItsDatabase() {
        Digest layer = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
        Path file = tempDir.resolve("nested/dir/berth.db");
        try (MetadataStore store = JdbcMetadataStore.sqlite(file)) {
            store.putBlob(layer, 3);
        }
        try (Database db = Database.sqlite(file)) {
            assertThat(new JdbcMetadataStore(db).blob(layer)).contains(new BlobRecord(3, false));
        }
    }

    @Test
    void aFailedWriteRollsBackAndRethrowsTheWorksOwnException() {
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"))) {
            IllegalStateException failure = new IllegalStateException("changed my mind");
            assertThatThrownBy(() -> db.write(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO users (name, password_hash, admin, created_at) VALUES ('x', 'h', FALSE, 0)")) {
                    s.executeUpdate();
                }
                throw failure;
            })).isSameAs(failure);

            assertThat(count(db, "SELECT count(*) FROM users")).isZero();
        }
    }

    @Test
    void writersCommittedTogetherEachGetTheirOwnOutcome() throws Exception {
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch holding = new CountDownLatch(1);
            int writers = 30;
            // The first writer holds the lock until the others have queued up behind it.
            Future<Integer> first = threads.submit(() -> db.write(c -> {
                holding.countDown();
                while (db.queuedWrites() < writers) {
                    Thread.onSpinWait();
                }
                return insertUser(c, "first");
            }));
            holding.await();
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                outcomes.add(threads.submit(() -> db.write(c -> {
                    insertUser(c, "user" + n);
                    if (n % 5 == 0) {
                        throw new IllegalStateException("refused " + n);
                    }
                    if (n % 7 == 0) {
                        c.prepareStatement("DELETE FROM no_such_table").executeUpdate();
                    }
                    return n;
                })));
            }

            assertThat(first.get()).isEqualTo(1);
            List<String> expected = new ArrayList<>(List.of("first"));
            for (int i = 0; i < writers; i++) {
                int n = i;
                if (n % 5 == 0) {
                    assertThatThrownBy(() -> outcomes.get(n).get()).cause()
                            .isInstanceOf(IllegalStateException.class).hasMessage("refused " + n);
                } else if (n % 7 == 0) {
                    assertThatThrownBy(() -> outcomes.get(n).get()).cause()
                            .isInstanceOf(MetadataException.class).hasMessageStartingWith("database write failed");
                } else {
                    assertThat(outcomes.get(n).get()).isEqualTo(n);
                    expected.add("user" + n);
                }
            }
            assertThat(names(db)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void lazyWritesSkipTheSyncAndLeaveTheConnectionSyncingAgain() throws Exception {
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(db.writeLazily(DatabaseTest::synchronous)).isEqualTo(NORMAL);
            assertThat(db.write(DatabaseTest::synchronous)).isEqualTo(FULL);
            assertThatThrownBy(() -> db.writeLazily(c -> {
                throw new IllegalStateException("failed");
            })).hasMessage("failed");

            // A group with one durable write among lazy ones syncs; a group of lazy writes only does not.
            assertThat(groupCommitted(db, threads, List.of(false, true, false))).containsOnly(FULL);
            assertThat(groupCommitted(db, threads, List.of(false, false, false))).containsOnly(NORMAL);

            // Every pooled connection is back to syncing every commit.
            List<Future<Long>> reads = new ArrayList<>();
            CountDownLatch all = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                reads.add(threads.submit(() -> db.read(c -> {
                    meetTheOthers(all);
                    return synchronous(c);
                })));
            }
            for (Future<Long> read : reads) {
                assertThat(read.get()).isEqualTo(FULL);
            }
            assertThat(names(db)).isEmpty();
        }
    }

    private static final long NORMAL = 1;
    private static final long FULL = 2;

    /** The {@code synchronous} settings seen by writes committed as one group, durable or lazy as {@code durable} says. */
    private static List<Long> groupCommitted(Database db, ExecutorService threads, List<Boolean> durable) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        Future<Long> first = threads.submit(() -> db.write(c -> {
            holding.countDown();
            while (db.queuedWrites() < durable.size()) {
                Thread.onSpinWait();
            }
            return synchronous(c);
        }));
        holding.await();
        List<Future<Long>> group = new ArrayList<>();
        for (boolean isDurable : durable) {
            Database.Work<Long> work = DatabaseTest::synchronous;
            group.add(threads.submit(() -> isDurable ? db.write(work) : db.writeLazily(work)));
        }
        assertThat(first.get()).isEqualTo(FULL);
        List<Long> seen = new ArrayList<>();
        for (Future<Long> write : group) {
            seen.add(write.get());
        }
        return seen;
    }

    /** Waits until {@code all} other threads have a pooled connection too: then each has its own. */
    private static void meetTheOthers(CountDownLatch all) {
        all.countDown();
        try {
            all.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long synchronous(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("PRAGMA synchronous"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void updatesFetchNoGeneratedKeys() {
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"))) {
            boolean keys = db.write(c -> {
                PreparedStatement s = db.prepare(c,
                        "INSERT INTO users (name, password_hash, admin, created_at) VALUES ('a', 'h', FALSE, 0)");
                s.executeUpdate();
                try (ResultSet generated = s.getGeneratedKeys()) {
                    return generated != null && generated.next();
                }
            });
            assertThat(keys).as("sqlite-jdbc queried last_insert_rowid() after the update").isFalse();
        }
    }

    @Test
    void preparedStatementsAreKeptPerConnection() throws Exception {
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            String insert = "INSERT INTO users (name, password_hash, admin, created_at) VALUES (?, 'h', FALSE, 0)";
            PreparedStatement first = db.write(c -> {
                PreparedStatement s = db.prepare(c, insert);
                s.setString(1, "a");
                s.executeUpdate();
                assertThat(db.prepare(c, insert)).isSameAs(s);
                assertThat(db.prepare(c, "SELECT name FROM users")).isNotSameAs(s);
                return s;
            });
            db.write(c -> {
                PreparedStatement s = db.prepare(c, insert);
                s.setString(1, "b");
                return s.executeUpdate();
            });
            assertThat(names(db)).containsExactlyInAnyOrder("a", "b");

            // Connections in use at the same time have statements of their own.
            CountDownLatch all = new CountDownLatch(4);
            List<Future<PreparedStatement>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(threads.submit(() -> db.read(c -> {
                    meetTheOthers(all);
                    return db.prepare(c, insert);
                })));
            }
            List<PreparedStatement> statements = new ArrayList<>();
            for (Future<PreparedStatement> statement : held) {
                statements.add(statement.get());
            }
            assertThat(statements).doesNotHaveDuplicates().contains(first);
        }
    }

    private static int insertUser(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO users (name, password_hash, admin, created_at) VALUES (?, 'h', FALSE, 0)")) {
            s.setString(1, name);
            return s.executeUpdate();
        }
    }

    private static List<String> names(Database db) {
        return db.read(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM users"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        });
    }

    @Test
    void sqlErrorsBecomeMetadataExceptions() {
        try (Database db = Database.sqlite(tempDir.resolve("berth.db"))) {
            assertThatThrownBy(() -> count(db, "SELECT count(*) FROM no_such_table"))
                    .isInstanceOf(MetadataException.class)
                    .hasMessageStartingWith("database read failed");
            assertThatThrownBy(() -> db.write(c -> c.prepareStatement("DELETE FROM no_such_table").executeUpdate()))
                    .isInstanceOf(MetadataException.class)
                    .hasMessageStartingWith("database write failed");
        }
    }

    @Test
    void twoPoolsOnOneFileSeeEachOthersWrites() {
        Path file = tempDir.resolve("berth.db");
        try (Database server = Database.sqlite(file); Database cli = Database.sqlite(file)) {
            cli.write(c -> c.prepareStatement(
                    "INSERT INTO users (name, password_hash, admin, created_at) VALUES ('a', 'h', TRUE, 0)").executeUpdate());

            assertThat(count(server, "SELECT count(*) FROM users WHERE admin = TRUE")).isEqualTo(1);
        }
    }

    private static long count(Database db, String sql) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private static List<String> tables(Database db) {
        return db.read(c -> {
            List<String> names = new ArrayList<>();
            try (ResultSet r = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (r.next()) {
                    names.add(r.getString("TABLE_NAME"));
                }
            }
            return names;
        });
    }
}
