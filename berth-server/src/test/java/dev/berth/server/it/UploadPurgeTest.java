package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.meta.JdbcMetadataStore;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.registry.RegistryApi;
import dev.berth.server.registry.RegistryOptions;
import dev.berth.server.storage.FileBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Abandoned uploads are purged, session and bytes, once older than the upload lifetime; fresh ones stay. */
class UploadPurgeTest {

    @Test
    void uploadsOlderThanTheirLifetimeArePurgedWithTheirBytes() {
        String repo = Api.uniqueRepository("purge");
        try (RunningRegistry registry = RunningRegistry.start(Map.of())) {
            Api api = new Api(registry);
            String stale = UploadApiTest.startUpload(api, repo);
            assertThat(api.patch(stale, "half a blob".getBytes()).statusCode()).isEqualTo(202);
            Path uploads = registry.dataDirectory().resolve("uploads");
            assertThat(uploads).isNotEmptyDirectory();

            try (MetadataStore meta = JdbcMetadataStore.sqlite(registry.dataDirectory().resolve("berth.db"))) {
                Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(169)), ZoneOffset.UTC);
                RegistryApi housekeeping = new RegistryApi(new FileBlobStore(registry.dataDirectory()), meta,
                        new RegistryOptions(true, 10, 10, 1024, Duration.ofHours(168)), later);
                String fresh = UploadApiTest.startUpload(api, repo);

                assertThat(housekeeping.purgeAbandonedUploads()).isEqualTo(2);
                assertThat(api.get(stale).statusCode()).isEqualTo(404);
                assertThat(api.get(fresh).statusCode()).isEqualTo(404);
                assertThat(uploads).isEmptyDirectory();
            }
        }
    }

    @Test
    void freshUploadsStay(@TempDir Path unused) throws Exception {
        String repo = Api.uniqueRepository("purge");
        try (RunningRegistry registry = RunningRegistry.start(Map.of())) {
            Api api = new Api(registry);
            String upload = UploadApiTest.startUpload(api, repo);
            assertThat(api.patch(upload, "kept".getBytes()).statusCode()).isEqualTo(202);
            try (MetadataStore meta = JdbcMetadataStore.sqlite(registry.dataDirectory().resolve("berth.db"))) {
                RegistryApi housekeeping = new RegistryApi(new FileBlobStore(registry.dataDirectory()), meta,
                        new RegistryOptions(true, 10, 10, 1024, Duration.ofHours(168)), Clock.systemUTC());
                assertThat(housekeeping.purgeAbandonedUploads()).isZero();
            }
            assertThat(api.get(upload).statusCode()).isEqualTo(204);
            assertThat(Files.list(registry.dataDirectory().resolve("uploads")).count()).isEqualTo(1);
        }
    }
}
