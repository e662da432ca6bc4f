package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Compares OCI layouts the way the round-trip tests need. */
final class Layouts {
    private Layouts() {
    }

    /** Blob file name → SHA-256 of its content, for every blob of a layout. */
    static Map<String, String> blobs(Path layout) throws IOException {
        Map<String, String> blobs = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(layout.resolve("blobs"))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                blobs.put(layout.relativize(file).toString(), dev.berth.spec.Digest.sha256(Files.readAllBytes(file)).toString());
            }
        }
        return blobs;
    }

    /** The index.json entries, reduced to what matters: media type, digest, size and ref name. */
    static List<String> entries(Path layout) throws IOException {
        JsonNode index = ImageJson.read(Files.readAllBytes(layout.resolve("index.json")), "index.json");
        List<String> entries = new ArrayList<>();
        for (JsonNode entry : index.get("manifests")) {
            JsonNode name = entry.path("annotations").get(OciLayoutReader.REF_NAME);
            entries.add(entry.get("mediaType").asText() + " " + entry.get("digest").asText() + " " + entry.get("size").asLong()
                    + " " + (name == null ? "-" : name.asText()));
        }
        return entries;
    }

    static void assertSame(Path expected, Path actual) throws IOException {
        assertThat(blobs(actual)).as("blobs of " + actual).isEqualTo(blobs(expected));
        assertThat(entries(actual)).as("index.json of " + actual).containsExactlyInAnyOrderElementsOf(entries(expected));
        try (Stream<Path> top = Files.list(actual)) {
            assertThat(top.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("no temporary files left in " + actual).containsExactly("blobs", "index.json", "oci-layout");
        }
    }
}
