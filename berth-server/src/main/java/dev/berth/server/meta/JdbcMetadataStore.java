package dev.berth.server.meta;

import static java.util.Objects.requireNonNullElse;

import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link MetadataStore}: plain JDBC, the same SQL on SQLite and PostgreSQL, the schema in Flyway
 * migrations under {@code db/migration} and the few differences in a {@link Dialect}.
 *
 * <pre>{@code
 * try (MetadataStore meta = JdbcMetadataStore.sqlite(Path.of("berth-data/berth.db"))) {
 *     meta.putBlob(layer, 3_145_728);
 *     meta.linkBlob(RepositoryName.parse("library/alpine"), layer);
 * }
 * }</pre>
 *
 * <p><b>Transactions.</b> Every read is a single statement in auto-commit mode, so it sees one snapshot
 * and takes no write lock. Every write is one transaction at the database's default isolation. On
 * SQLite each write transaction begins {@code IMMEDIATE}: writers queue for the database lock (up to the
 * busy timeout) instead of failing with {@code SQLITE_BUSY} when a read lock cannot be upgraded. On
 * PostgreSQL (read committed) the upserts lock the rows they touch, so concurrent pushes of the same
 * manifest, tag or blob serialise on those rows; deleting a manifest cascades to its tags and references
 * through foreign keys, which also catches a tag moved onto it concurrently.
 *
 * <p><b>Catalog.</b> A repository is listed while it holds a manifest or a linked blob (two primary-key
 * probes per row of the name index). One emptied by deletes and unlinks drops out; its row stays and
 * is reused by its next push. Deleting a manifest leaves its bytes linked as a blob of the repository,
 * as pushing it linked them; garbage collection decides when they go.
 *
 * <p>All methods block on JDBC: call them from worker or virtual threads, never from an event loop.
 * Database failures surface as {@link MetadataException}.
 */
public final class JdbcMetadataStore implements MetadataStore {
    private static final String REPOSITORY_ID = "(SELECT id FROM repositories WHERE name = ?)";
    private static final String HOLDS_CONTENT = """
            (EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = r.id)
             OR EXISTS (SELECT 1 FROM repository_blobs b WHERE b.repository_id = r.id))""";
    private static final String MANIFEST = ManifestRows.select("r.name = ? AND m.digest = ?");
    private static final String REFERRERS = ManifestRows.select("r.name = ? AND m.subject = ?");
    private static final String REFERRERS_OF_TYPE = ManifestRows.select("r.name = ? AND m.subject = ? AND m.artifact_type = ?");

    private final Database db;
    private final boolean ownsDatabase;

    /**
     * A store over a shared {@link Database}, which stays the caller's to close: closing this store
     * leaves it open for the other stores on it.
     */
    public JdbcMetadataStore(Database db) {
        this(db, false);
    }

    /**
     * A store over a caller's data source, which stays the caller's to close. Migrates the schema first.
     * Connections must start in auto-commit mode and enforce foreign keys (SQLite: {@code foreign_keys=ON});
     * SQLite connections should also begin transactions {@code IMMEDIATE}, as {@link Database#sqlite} sets up.
     */
    public JdbcMetadataStore(DataSource dataSource, Dialect dialect) {
        this(Database.of(dataSource, dialect), false);
    }

    private JdbcMetadataStore(Database db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /**
     * A store alone on its own SQLite database (see {@link Database#sqlite}), which {@link #close}
     * closes. To share the file with other stores, open the {@link Database} and use
     * {@link #JdbcMetadataStore(Database)}.
     */
    public static JdbcMetadataStore sqlite(Path databaseFile) {
        return new JdbcMetadataStore(Database.sqlite(databaseFile), true);
    }

    @Override
    public void putBlob(Digest digest, long size) {
        write(c -> insertBlob(c, digest, size, null));
    }

    @Override
    public Optional<BlobRecord> blob(Digest digest) {
        return first(read(c -> query(c, "SELECT size, content IS NOT NULL FROM blobs WHERE digest = ?",
                r -> new BlobRecord(r.getLong(1), r.getBoolean(2)), digest)));
    }

    @Override
    public Optional<byte[]> blobContent(Digest digest) {
        return first(read(c -> query(c, "SELECT content FROM blobs WHERE digest = ? AND content IS NOT NULL",
                r -> r.getBytes(1), digest)));
    }

    @Override
    public void linkBlob(RepositoryName repository, Digest digest) {
        write(c -> {
            long repositoryId = repositoryId(c, repository);
            int linked = update(c, """
                    INSERT INTO repository_blobs (repository_id, digest)
                    SELECT ?, digest FROM blobs WHERE digest = ?
                    ON CONFLICT (repository_id, digest) DO NOTHING
                    """, repositoryId, digest);
            if (linked == 0 && !exists(c, "SELECT 1 FROM blobs WHERE digest = ?", digest)) {
                throw ErrorCode.BLOB_UNKNOWN.exception(digest.toString());
            }
            return null;
        });
    }

    @Override
    public boolean isBlobLinked(RepositoryName repository, Digest digest) {
        return read(c -> exists(c,
                "SELECT 1 FROM repository_blobs WHERE repository_id = " + REPOSITORY_ID + " AND digest = ?",
                repository, digest));
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        return write(c -> update(c,
                "DELETE FROM repository_blobs WHERE repository_id = " + REPOSITORY_ID + " AND digest = ?",
                repository, digest) > 0);
    }

    @Override
    public List<RepositoryName> repositoriesWithBlob(Digest digest, int limit) {
        return read(c -> query(c, """
                SELECT r.name FROM repository_blobs b JOIN repositories r ON r.id = b.repository_id
                WHERE b.digest = ?
                ORDER BY r.name
                LIMIT ?
                """, r -> RepositoryName.parse(r.getString(1)), digest, checkLimit(limit)));
    }

    @Override
    public void putManifest(RepositoryName repository, ManifestRecord manifest, byte[] content, Tag tag) {
        String annotations = ManifestRows.json(manifest.annotations());
        write(c -> {
            long repositoryId = repositoryId(c, repository);
            long now = Instant.now().toEpochMilli();
            insertBlob(c, manifest.content(), manifest.size(), content);
            update(c, """
                    INSERT INTO repository_blobs (repository_id, digest) VALUES (?, ?)
                    ON CONFLICT (repository_id, digest) DO NOTHING
                    """, repositoryId, manifest.content());
            // DO UPDATE rather than DO NOTHING: on PostgreSQL it locks the manifest row, which
            // serialises concurrent puts of this manifest before they rewrite its references.
            update(c, """
                    INSERT INTO manifests (repository_id, digest, media_type, size, artifact_type,
                                           subject, annotations, created_at, content_digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (repository_id, digest) DO UPDATE SET
                        media_type = excluded.media_type, size = excluded.size,
                        artifact_type = excluded.artifact_type, subject = excluded.subject,
                        annotations = excluded.annotations, content_digest = excluded.content_digest
                    """, repositoryId, manifest.digest(), manifest.mediaType(), manifest.size(),
                    manifest.artifactType(), manifest.subject(), annotations, now,
                    manifest.content().equals(manifest.digest()) ? null : manifest.content());
            update(c, "DELETE FROM manifest_references WHERE repository_id = ? AND manifest_digest = ?",
                    repositoryId, manifest.digest());
            insertReferences(c, repositoryId, manifest);
            if (tag != null) {
                update(c, """
                        INSERT INTO tags (repository_id, name, digest, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (repository_id, name) DO UPDATE SET
                            digest = excluded.digest, updated_at = excluded.updated_at
                        """, repositoryId, tag, manifest.digest(), now);
            }
            return null;
        });
    }

    @Override
    public Optional<ManifestRecord> manifest(RepositoryName repository, Digest digest) {
        return first(read(c -> select(c, MANIFEST, ManifestRows::read, repository, digest)));
    }

    @Override
    public Optional<Digest> resolveTag(RepositoryName repository, Tag tag) {
        return first(read(c -> query(c, """
                SELECT t.digest FROM tags t JOIN repositories r ON r.id = t.repository_id
                WHERE r.name = ? AND t.name = ?
                """, r -> Digest.parse(r.getString(1)), repository, tag)));
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest) {
        // The foreign keys of tags and manifest_references cascade.
        return write(c -> update(c,
                "DELETE FROM manifests WHERE repository_id = " + REPOSITORY_ID + " AND digest = ?",
                repository, digest) > 0);
    }

    @Override
    public boolean deleteTag(RepositoryName repository, Tag tag) {
        return write(c -> update(c,
                "DELETE FROM tags WHERE repository_id = " + REPOSITORY_ID + " AND name = ?",
                repository, tag) > 0);
    }

    @Override
    public List<Tag> tags(RepositoryName repository, String last, int limit) {
        return read(c -> query(c, """
                SELECT t.name FROM tags t JOIN repositories r ON r.id = t.repository_id
                WHERE r.name = ? AND t.name > ?
                ORDER BY t.name
                LIMIT ?
                """, r -> Tag.parse(r.getString(1)), repository, requireNonNullElse(last, ""), checkLimit(limit)));
    }

    @Override
    public boolean repositoryExists(RepositoryName repository) {
        return read(c -> exists(c, "SELECT 1 FROM repositories r WHERE r.name = ? AND " + HOLDS_CONTENT,
                repository));
    }

    @Override
    public List<RepositoryName> repositories(String last, int limit) {
        return read(c -> query(c,
                "SELECT r.name FROM repositories r WHERE r.name > ? AND " + HOLDS_CONTENT + " ORDER BY r.name LIMIT ?",
                r -> RepositoryName.parse(r.getString(1)),
                requireNonNullElse(last, ""), checkLimit(limit)));
    }

    @Override
    public List<ManifestRecord> referrers(RepositoryName repository, Digest subject, String artifactType) {
        String sql = artifactType == null ? REFERRERS : REFERRERS_OF_TYPE;
        Object[] args = artifactType == null
                ? new Object[] {repository, subject}
                : new Object[] {repository, subject, artifactType};
        return read(c -> select(c, sql, ManifestRows::read, args));
    }

    @Override
    public void createUpload(UploadSession session) {
        // Not synced: until it completes, an upload's bytes are not either.
        db.writeLazily(c -> update(c, "INSERT INTO uploads (id, repository, started_at) VALUES (?, ?, ?)",
                session.id(), session.repository(), session.startedAt().toEpochMilli()));
    }

    @Override
    public Optional<UploadSession> upload(String id) {
        return first(read(c -> query(c, "SELECT id, repository, started_at FROM uploads WHERE id = ?",
                r -> new UploadSession(r.getString(1), RepositoryName.parse(r.getString(2)),
                        Instant.ofEpochMilli(r.getLong(3))), id)));
    }

    @Override
    public List<UploadSession> uploadsStartedBefore(Instant cutoff, int limit) {
        return read(c -> query(c, "SELECT id, repository, started_at FROM uploads WHERE started_at < ? ORDER BY started_at LIMIT ?",
                r -> new UploadSession(r.getString(1), RepositoryName.parse(r.getString(2)),
                        Instant.ofEpochMilli(r.getLong(3))), cutoff.toEpochMilli(), checkLimit(limit)));
    }

    @Override
    public void deleteUpload(String id) {
        write(c -> update(c, "DELETE FROM uploads WHERE id = ?", id));
    }

    @Override
    public void completeUpload(UploadSession session, Digest digest, long size, byte[] content) {
        write(c -> {
            insertBlob(c, digest, size, content);
            update(c, """
                    INSERT INTO repository_blobs (repository_id, digest) VALUES (?, ?)
                    ON CONFLICT (repository_id, digest) DO NOTHING
                    """, repositoryId(c, session.repository()), digest);
            return update(c, "DELETE FROM uploads WHERE id = ?", session.id());
        });
    }

    /** Closes the database if {@link #sqlite} opened it for this store alone. */
    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }

    /**
     * Records a blob, with its bytes unless they are {@code null} (in the blob store). A blob already
     * recorded keeps its bytes where they are.
     */
    private int insertBlob(Connection c, Digest digest, long size, byte[] content) throws SQLException {
        long now = Instant.now().toEpochMilli();
        if (content == null) { // no typed NULL: PostgreSQL would not take a text NULL for BYTEA
            return update(c, """
                    INSERT INTO blobs (digest, size, created_at) VALUES (?, ?, ?)
                    ON CONFLICT (digest) DO NOTHING
                    """, digest, size, now);
        }
        return update(c, """
                INSERT INTO blobs (digest, size, created_at, content) VALUES (?, ?, ?, ?)
                ON CONFLICT (digest) DO NOTHING
                """, digest, size, now, content);
    }

    private void insertReferences(Connection c, long repositoryId, ManifestRecord manifest)
            throws SQLException {
        if (manifest.references().isEmpty()) {
            return;
        }
        PreparedStatement s = db.prepare(c, """
                INSERT INTO manifest_references (repository_id, manifest_digest, ordinal, reference_digest)
                VALUES (?, ?, ?, ?)
                """);
        List<Digest> references = manifest.references();
        for (int i = 0; i < references.size(); i++) {
            bind(s, repositoryId, manifest.digest(), i, references.get(i));
            s.addBatch();
        }
        s.executeBatch();
    }

    /** The id of a repository, created if new. */
    private long repositoryId(Connection c, RepositoryName repository) throws SQLException {
        update(c, "INSERT INTO repositories (name) VALUES (?) ON CONFLICT (name) DO NOTHING", repository);
        return query(c, "SELECT id FROM repositories WHERE name = ?", r -> r.getLong(1), repository).getFirst();
    }

    private static int checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit: " + limit);
        }
        return limit;
    }

    private interface Row<T> {
        T map(ResultSet r) throws SQLException;
    }

    private interface Rows<T> {
        T read(ResultSet r) throws SQLException;
    }

    private <T> T read(Database.Work<T> work) {
        return db.read(work);
    }

    private <T> T write(Database.Work<T> work) {
        return db.write(work);
    }

    private int update(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = db.prepare(c, sql);
        bind(s, args);
        return s.executeUpdate();
    }

    private <T> T select(Connection c, String sql, Rows<T> rows, Object... args) throws SQLException {
        PreparedStatement s = db.prepare(c, sql);
        bind(s, args);
        try (ResultSet r = s.executeQuery()) {
            return rows.read(r);
        }
    }

    private <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        return select(c, sql, r -> {
            List<T> results = new ArrayList<>();
            while (r.next()) {
                results.add(row.map(r));
            }
            return results;
        }, args);
    }

    private boolean exists(Connection c, String sql, Object... args) throws SQLException {
        return select(c, sql, ResultSet::next, args);
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case null -> s.setNull(i + 1, Types.VARCHAR);
                case Digest d -> s.setString(i + 1, d.toString());
                case RepositoryName n -> s.setString(i + 1, n.value());
                case Tag t -> s.setString(i + 1, t.value());
                case byte[] bytes -> s.setBytes(i + 1, bytes);
                default -> s.setObject(i + 1, args[i]);
            }
        }
    }
}
