package dev.berth.server.it;

import static dev.berth.server.it.Api.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.it.Images.Blob;
import dev.berth.server.it.Images.Image;
import dev.berth.server.meta.Database;
import dev.berth.spec.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes of manifests and of blobs up to 64 KiB are kept in the metadata database, not as files.
 * A manifest's bytes are a blob of its repository too: served under {@code /blobs/} like any other,
 * ranges included, also after the manifest is deleted. Manifests that earlier versions stored as files
 * of the blob store are still served.
 */
class BytesInDatabaseTest extends SharedRegistryTest {
    private static final int SMALL_BLOB_BYTES = 64 * 1024;

    @Test
    void blobsUpTo64KiBAreKeptInTheDatabaseAndLargerOnesAsFiles() {
        String repo = Api.uniqueRepository("small-blobs");
        Blob small = Images.pushBlob(api, repo, Images.randomBlob(303, SMALL_BLOB_BYTES));
        Blob large = Images.pushBlob(api, repo, Images.randomBlob(304, SMALL_BLOB_BYTES + 1));

        assertThat(Files.exists(blobFile(registry.dataDirectory(), small))).as("file of the small blob").isFalse();
        assertThat(Files.exists(blobFile(registry.dataDirectory(), large))).as("file of the large blob").isTrue();
        for (Blob blob : new Blob[] {small, large}) {
            String path = "/v2/" + repo + "/blobs/" + blob.digest();
            for (int i = 0; i < 2; i++) { // the second GET is answered from memory
                assertThat(api.get(path).body()).isEqualTo(blob.content());
            }
            HttpResponse<byte[]> range = api.get(path, "Range", "bytes=-100");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(blob.content(), blob.content().length - 100, blob.content().length));
        }
    }

    @Test
    void aManifestsBytesAreServedAsABlobOfItsRepository() {
        String repo = Api.uniqueRepository("manifest-bytes");
        Image image = Images.pushImage(api, repo, "latest", 301);
        String path = "/v2/" + repo + "/blobs/" + image.digest();

        for (int i = 0; i < 2; i++) { // the second GET is answered from memory
            HttpResponse<byte[]> get = api.get(path);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(image.manifest());
            assertThat(header(get, "Content-Type")).isEqualTo("application/octet-stream");
            assertThat(header(get, "Docker-Content-Digest")).isEqualTo(image.digest().toString());
        }
        HttpResponse<byte[]> head = api.head(path);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(image.manifest().length));

        HttpResponse<byte[]> range = api.get(path, "Range", "bytes=2-9");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(image.manifest(), 2, 10));
        assertThat(header(range, "Content-Range")).isEqualTo("bytes 2-9/" + image.manifest().length);
        Api.assertError(api.get(path, "Range", "bytes=" + image.manifest().length + "-"), 416, "RANGE_INVALID");

        assertThat(api.delete("/v2/" + repo + "/manifests/" + image.digest()).statusCode()).isEqualTo(202);
        assertThat(api.get(path).body()).isEqualTo(image.manifest());
    }

    @Test
    void manifestsStoredAsFilesByEarlierVersionsAreStillServed() {
        RunningRegistry registry = RunningRegistry.start(Map.of());
        try {
            Api before = new Api(registry);
            String repo = Api.uniqueRepository("legacy");
            Image image = Images.pushImage(before, repo, "latest", 302);

            registry = registry.restart(data -> storeAsFile(data, image));

            Api after = new Api(registry);
            HttpResponse<byte[]> manifest = after.get("/v2/" + repo + "/manifests/latest");
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.body()).isEqualTo(image.manifest());
            HttpResponse<byte[]> blob = after.get("/v2/" + repo + "/blobs/" + image.digest());
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(blob.body()).isEqualTo(image.manifest());
        } finally {
            registry.close();
        }
    }

    private static Path blobFile(Path data, Blob blob) {
        return blobFile(data, blob.digest());
    }

    private static Path blobFile(Path data, Digest digest) {
        return data.resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex());
    }

    /** What a data directory from before V4 holds: the bytes in blobs/, none in the database. */
    private static void storeAsFile(Path data, Image image) {
        try {
            Path file = blobFile(data, image.digest());
            Files.createDirectories(file.getParent());
            Files.write(file, image.manifest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Database db = Database.sqlite(data.resolve("berth.db"))) {
            int cleared = db.write(c -> {
                try (var update = c.prepareStatement("UPDATE blobs SET content = NULL WHERE digest = ?")) {
                    update.setString(1, image.digest().toString());
                    return update.executeUpdate();
                }
            });
            assertThat(cleared).isEqualTo(1);
        }
    }
}
