package dev.berth.server.meta;

import java.nio.file.Path;

/** Given no memory, every cache keeps one answer and starts over at the next: the contract still holds. */
class SmallestCachingMetadataStoreTest extends MetadataStoreContract {

    @Override
    protected MetadataStore newStore(Path tempDir) {
        return new CachingMetadataStore(JdbcMetadataStore.sqlite(tempDir.resolve("meta/metadata.db")), 0);
    }
}
