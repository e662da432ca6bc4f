package dev.berth.server.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SqliteMetadataStoreTest extends MetadataStoreContract {

    @Override
    protected MetadataStore newStore(Path tempDir) {
        return JdbcMetadataStore.sqlite(tempDir.resolve("meta/metadata.db"));
    }

    @Test
    void reopeningTheFileKeepsTheData() {
        ManifestRecord manifest = image("kept", digest("layer"));
        Digest layer = digest("layer");
        store.putBlob(layer, 7);
        store.linkBlob(ALPINE, layer);
        store.putManifest(ALPINE, manifest, content(manifest), tag("latest"));
        store.close();

        store = newStore(tempDir);
        store.close();
        store = newStore(tempDir);

        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
        assertThat(store.resolveTag(ALPINE, tag("latest"))).contains(manifest.digest());
        assertThat(store.isBlobLinked(ALPINE, layer)).isTrue();
        assertThat(store.repositories(null, 10)).containsExactly(ALPINE);
    }

    @Test
    void theDatabaseRunsInWalMode() {
        store.putBlob(digest("layer"), 7);

        assertThat(Files.exists(tempDir.resolve("meta/metadata.db-wal"))).isTrue();
    }
}
