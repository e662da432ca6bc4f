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

/**
 * Maps manifest rows to {@link ManifestRecord}s. {@link #SELECT} joins each manifest to its references,
 * one row per reference (a single row with a null reference when there are none), so one statement,
 * and therefore one snapshot, reads a manifest whole.
 */
final class ManifestRows {
    static final String SELECT = """
            SELECT m.digest, m.media_type, m.size, m.artifact_type, m.subject, m.annotations,
                   x.reference_digest
            FROM manifests m
            JOIN repositories r ON r.id = m.repository_id
            LEFT JOIN manifest_references x
                ON x.repository_id = m.repository_id AND x.manifest_digest = m.digest
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> ANNOTATIONS = new TypeReference<>() {};

    private ManifestRows() {
    }

    /** Reads rows of {@link #SELECT} ordered by manifest digest, then reference ordinal. */
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
                head = new ManifestRecord(digest, rows.getString(2), rows.getLong(3), rows.getString(4),
                        subject == null ? null : Digest.parse(subject), annotations(rows.getString(6)), List.of());
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
            return JSON.writeValueAsString(new TreeMap<>(annotations));
        } catch (JsonProcessingException e) {
            throw new MetadataException("cannot serialise annotations", e);
        }
    }

    private static Map<String, String> annotations(String json) throws SQLException {
        try {
            return JSON.readValue(json, ANNOTATIONS);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt annotations column: " + e.getOriginalMessage(), e);
        }
    }

    private static ManifestRecord withReferences(ManifestRecord m, List<Digest> references) {
        return new ManifestRecord(m.digest(), m.mediaType(), m.size(), m.artifactType(), m.subject(),
                m.annotations(), references);
    }
}
