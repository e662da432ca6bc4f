package dev.berth.server.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.spec.Digest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads {@link ManifestRecord}s, each whole, with its references, in one statement and snapshot. */
final class ManifestRows {
    private static final TypeReference<Map<String, String>> ANNOTATIONS = new TypeReference<>() {};

    private ManifestRows() {
    }

    /**
     * A query for the manifests of {@code manifests m JOIN repositories r} that {@code where} picks,
     * one row per reference (one with a null reference when there are none), in digest order, then
     * reference order. The picked manifests are materialised first: left to itself, SQLite would walk
     * the whole repository in digest order rather than look referrers up by subject and sort them.
     */
    static String select(String where) {
        return """
                WITH m AS MATERIALIZED (
                    SELECT m.* FROM manifests m JOIN repositories r ON r.id = m.repository_id
                    WHERE %s)
                SELECT m.digest, m.media_type, m.size, m.artifact_type, m.subject, m.annotations,
                       x.reference_digest, m.content_digest
                FROM m LEFT JOIN manifest_references x
                    ON x.repository_id = m.repository_id AND x.manifest_digest = m.digest
                ORDER BY m.digest, x.ordinal
                """.formatted(where);
    }

    /** Reads the rows of a {@link #select} query. */
    static List<ManifestRecord> read(ResultSet rows) throws SQLException {
        List<ManifestRecord> manifests = new ArrayList<>();
        ManifestRecord head = null;
        List<Digest> references = new ArrayList<>();
        while (rows.next()) {
            Digest digest = Digest.parse(rows.getString(1));
            if (head == null || !head.digest().equals(digest)) {
                if (head != null) {
                    manifests.add(withReferences(head, references));
                    references.clear();
                }
                String subject = rows.getString(5);
                String content = rows.getString(8);
                head = new ManifestRecord(digest, rows.getString(2), rows.getLong(3), rows.getString(4),
                        subject == null ? null : Digest.parse(subject), annotations(rows.getString(6)), List.of(),
                        content == null ? digest : Digest.parse(content));
            }
            String reference = rows.getString(7);
            if (reference != null) {
                references.add(Digest.parse(reference));
            }
        }
        if (head != null) {
            manifests.add(withReferences(head, references));
        }
        return manifests;
    }

    /** Annotations as a JSON object with sorted keys. */
    static String json(Map<String, String> annotations) {
        try {
            return Json.MAPPER.writeValueAsString(new TreeMap<>(annotations));
        } catch (JsonProcessingException e) {
            throw new MetadataException("cannot serialise annotations", e);
        }
    }

    private static Map<String, String> annotations(String json) throws SQLException {
        try {
            return Json.MAPPER.readValue(json, ANNOTATIONS);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt annotations column: " + e.getOriginalMessage(), e);
        }
    }

    private static ManifestRecord withReferences(ManifestRecord m, List<Digest> references) {
        return new ManifestRecord(m.digest(), m.mediaType(), m.size(), m.artifactType(), m.subject(),
                m.annotations(), references, m.content());
    }

    /** Made at the first use, not when the store class loads: an object mapper is tens of milliseconds of start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
