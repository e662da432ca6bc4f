package dev.berth.server.meta;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * berth's one relational database, migrated to the current schema and shared by every store that
 * keeps rows in it ({@link JdbcMetadataStore}, the users and refresh tokens of
 * {@code dev.berth.server.auth.identity}): one file, one pool, one writer queue.
 *
 * <pre>{@code
 * try (Database db = Database.sqlite(Path.of("berth-data/berth.db"))) {
 *     MetadataStore meta = new JdbcMetadataStore(db);
 *     UserStore users = new UserStore(db);
 *     long count = db.read(c -> { try (var s = c.prepareStatement("SELECT count(*) FROM users");
 *                                      var r = s.executeQuery()) { r.next(); return r.getLong(1); } });
 * }
 * }</pre>
 *
 * <p><b>Transactions.</b> {@link #read} hands out a connection in auto-commit mode: each statement
 * sees its own snapshot and takes no write lock. {@link #write} runs its work as one transaction, which
 * commits when the work returns and rolls back when it throws (the exception propagates unchanged, so
 * a store may throw its own domain exceptions from inside). On SQLite each write transaction begins
 * {@code IMMEDIATE}, and writers of this process queue in Java first (see {@link Dialect#singleWriter});
 * writers of other processes on the same file (the {@code berth user} command next to a running
 * server) wait for SQLite's lock up to the busy timeout.
 *
 * <p>All methods block on JDBC: call them from worker or virtual threads, never from an event loop.
 * Database failures surface as {@link MetadataException}.
 */
public final class Database implements AutoCloseable {
    /** Reads that repeat are answered from memory above this layer, so a few connections suffice. */
    private static final int SQLITE_POOL_SIZE = 4;
    /** Page cache per connection, in KiB (SQLite's default is 2 MiB). */
    private static final int SQLITE_CACHE_KIB = 1024;
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 30_000;
    /** Most writes committed together; more wait for the next commit. */
    private static final int MAX_GROUP = 64;

    private final DataSource dataSource;
    private final HikariDataSource pool; // opened here, else null
    private final Dialect dialect;
    private final Lock writer; // see Dialect.singleWriter
    private final Queue<Pending<?>> queued = new ConcurrentLinkedQueue<>();
    private final StatementCache statements = new StatementCache();

    private Database(DataSource dataSource, HikariDataSource pool, Dialect dialect) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.dialect = dialect;
        this.writer = dialect.singleWriter() ? new ReentrantLock(true) : null;
    }

    /**
     * A database over a caller's data source, which stays the caller's to close. Migrates the schema
     * first. Connections must start in auto-commit mode and enforce foreign keys (SQLite:
     * {@code foreign_keys=ON}); SQLite connections should also begin transactions {@code IMMEDIATE}, as
     * {@link #sqlite} sets up.
     */
    public static Database of(DataSource dataSource, Dialect dialect) {
        migrate(dataSource, dialect);
        return new Database(dataSource, null, dialect);
    }

    /**
     * Opens (creating it and its directory if needed) and migrates an SQLite database, behind a pool of
     * 4 connections that {@link #close} shuts down.
     *
     * <p>The journal is a WAL, so readers never block the writer or each other, with
     * {@code synchronous=FULL}: every commit syncs the WAL, so a push the registry acknowledged
     * survives a power loss. ({@code NORMAL} would only keep the database consistent, and could lose the
     * last commits; {@link #writeLazily} commits so.) Transactions begin {@code IMMEDIATE}, a busy
     * connection waits up to 30 s for the lock, and foreign keys are enforced. Generated keys are not
     * fetched ({@link java.sql.Statement#getGeneratedKeys} finds none).
     */
    public static Database sqlite(Path databaseFile) {
        Path file = databaseFile.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
        config.setCacheSize(-SQLITE_CACHE_KIB);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Else sqlite-jdbc prepares and runs SELECT last_insert_rowid() after every update, for
        // getGeneratedKeys(), which nothing here calls.
        config.setGetGeneratedKeys(false);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file);

        HikariConfig poolConfig = new HikariConfig();
        poolConfig.setPoolName("berth-db");
        poolConfig.setDataSource(sqlite);
        poolConfig.setMaximumPoolSize(SQLITE_POOL_SIZE);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig);
        } catch (RuntimeException e) {
            throw new MetadataException("cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            migrate(pool, Dialect.SQLITE);
            return new Database(pool, pool, Dialect.SQLITE);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .placeholders(dialect.placeholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new MetadataException("cannot migrate the database schema: " + e.getMessage(), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Work on one connection; it may throw {@link SQLException}, which becomes a {@link MetadataException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * A prepared statement for {@code sql} on {@code c}, {@code c} being a connection that {@link #read} or
     * {@link #write} handed out, kept for the next use of the same SQL on the same connection. Don't close
     * it; close its result sets, and bind every parameter on each use.
     */
    public PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return statements.prepare(c, sql);
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new MetadataException("database read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} as one transaction, after this process's other writers on a single-writer
     * database. Commits when it returns; rolls back and rethrows when it throws.
     *
     * <p>On a single-writer database, writers that arrive while another commits are committed together
     * (group commit): the first to get the lock runs every queued work in one transaction, each inside a
     * savepoint so that one failing rolls back only itself, and commits once. Each caller still returns
     * only after its own work is durable, and sees the outcome it would have seen alone; a commit that
     * fails fails them all.
     */
    public <T> T write(Work<T> work) {
        return write(work, true);
    }

    /**
     * Like {@link #write}, but the commit does not wait for the disk. The change is visible at once and
     * survives this process dying; a power loss may undo it, unless a {@link #write} committed after it
     * (SQLite's log is written in order). For what the registry has not promised to keep, such as an
     * upload session, whose bytes are not synced either until the upload completes.
     */
    public <T> T writeLazily(Work<T> work) {
        return write(work, false);
    }

    private <T> T write(Work<T> work, boolean durable) {
        if (writer == null) {
            return transaction(work, durable);
        }
        Pending<T> mine = new Pending<>(work, durable);
        queued.add(mine);
        writer.lock();
        try {
            while (!mine.done) { // else a writer that got the lock earlier committed it
                List<Pending<?>> batch = new ArrayList<>();
                for (Pending<?> next; batch.size() < MAX_GROUP && (next = queued.poll()) != null; ) {
                    batch.add(next);
                }
                commitGroup(batch);
            }
        } finally {
            writer.unlock();
        }
        return mine.outcome();
    }

    /** Writes waiting for a commit: tests use it to know a group is forming. */
    int queuedWrites() {
        return queued.size();
    }

    private <T> T transaction(Work<T> work, boolean durable) {
        try (Connection c = dataSource.getConnection()) {
            return transaction(c, work, durable);
        } catch (SQLException e) {
            throw new MetadataException("database write failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on {@code c} as one transaction: commits when it returns, rolls back when it throws. */
    private <T> T transaction(Connection c, Work<T> work, boolean durable) throws SQLException {
        if (!durable) {
            syncCommits(c, false);
        }
        try {
            c.setAutoCommit(false); // sqlite-jdbc: BEGIN IMMEDIATE
            T result = work.run(c);
            // Switching auto-commit back on commits (JDBC). Connection.commit() would make
            // sqlite-jdbc begin the next IMMEDIATE transaction at once, taking the write lock
            // again while the connection sits idle in the pool.
            c.setAutoCommit(true);
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
        } finally {
            if (!durable) {
                syncCommits(c, true);
            }
        }
    }

    /**
     * Whether the next commits on {@code c} wait for the disk ({@code synchronous=FULL}, the default) or
     * only write the log ({@code NORMAL}). Elsewhere than on SQLite every commit is durable.
     */
    private void syncCommits(Connection c, boolean durable) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            }
        }
    }

    private void commitGroup(List<Pending<?>> batch) {
        if (batch.size() == 1) {
            runAlone(batch.getFirst());
            return;
        }
        boolean durable = false;
        for (Pending<?> pending : batch) {
            durable |= pending.durable;
        }
        try (Connection c = dataSource.getConnection()) {
            transaction(c, group -> {
                for (Pending<?> pending : batch) {
                    // Named: sqlite-jdbc names an unnamed one with String.format, on every write.
                    pending.runIn(group, group.setSavepoint("pending"));
                }
                return null;
            }, durable);
            batch.forEach(Pending::commit);
        } catch (SQLException | RuntimeException e) {
            MetadataException failed = new MetadataException("database write failed: " + e.getMessage(), e);
            batch.forEach(pending -> pending.fail(failed));
        }
    }

    private <T> void runAlone(Pending<T> pending) {
        try {
            pending.result = transaction(pending.work, pending.durable);
        } catch (RuntimeException e) {
            pending.failure = e;
        }
        pending.done = true;
    }

    /** One caller's work in a group commit, and its outcome. */
    private static final class Pending<T> {
        private final Work<T> work;
        private final boolean durable;
        private T result;
        private RuntimeException failure;
        private volatile boolean done;

        Pending(Work<T> work, boolean durable) {
            this.work = work;
            this.durable = durable;
        }

        /**
         * Runs the work within the group's transaction: a failure of its own rolls back to {@code savepoint}
         * and is its outcome; a failure to do even that is the whole group's.
         */
        void runIn(Connection c, Savepoint savepoint) throws SQLException {
            try {
                result = work.run(c);
                c.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                c.rollback(savepoint);
                c.releaseSavepoint(savepoint);
                failure = e instanceof SQLException sql
                        ? new MetadataException("database write failed: " + sql.getMessage(), sql)
                        : (RuntimeException) e;
            }
        }

        void commit() {
            done = true;
        }

        void fail(MetadataException groupFailure) {
            if (failure == null) {
                failure = groupFailure;
            }
            result = null;
            done = true;
        }

        T outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Shuts the pool down if {@link #sqlite} opened it; a caller's data source is left alone. */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
