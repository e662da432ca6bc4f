package dev.berth.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.Digest;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The cache passes the whole store contract, and every write is seen by the next read even when that
 * read's answer, or the absence of one, was cached before the write.
 */
class CachingMetadataStoreTest extends MetadataStoreContract {
    private static final long MEMORY = 30L << 20;

    @Override
    protected MetadataStore newStore(Path tempDir) {
        return new CachingMetadataStore(JdbcMetadataStore.sqlite(tempDir.resolve("meta/metadata.db")), MEMORY);
    }

    private MetadataReads memory() {
        return ((CachingMetadataStore) store).memoryOnly();
    }

    @Test
    void memoryOnlyAnswersWhatWasReadBeforeAndNothingElse() {
        Digest layer = digest("layer");

        assertThatThrownBy(() -> memory().isBlobLinked(ALPINE, layer)).isInstanceOf(NotInMemory.class);
        assertThat(store.isBlobLinked(ALPINE, layer)).isFalse();
        assertThat(memory().isBlobLinked(ALPINE, layer)).isFalse();
        assertThatThrownBy(() -> memory().resolveTag(ALPINE, tag("latest"))).isInstanceOf(NotInMemory.class);
        assertThat(store.resolveTag(ALPINE, tag("latest"))).isEmpty();
        assertThat(memory().resolveTag(ALPINE, tag("latest"))).isEmpty();
    }

    @Test
    void aPushIsSeenAfterItsAbsenceWasCached() {
        Digest layer = digest("layer");
        ManifestRecord manifest = image("one", layer);
        Tag latest = tag("latest");
        readEverything(manifest, layer, latest);

        store.putBlob(layer, 7);
        store.linkBlob(ALPINE, layer);
        store.putManifest(ALPINE, manifest, content(manifest), latest);

        assertThat(store.blob(layer)).contains(new BlobRecord(7, false));
        assertThat(store.isBlobLinked(ALPINE, layer)).isTrue();
        assertThat(store.resolveTag(ALPINE, latest)).contains(manifest.digest());
        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
        assertThat(store.isBlobLinked(ALPINE, manifest.digest())).isTrue();
        assertThat(store.blob(manifest.digest())).contains(new BlobRecord(manifest.size(), true));
        assertThat(store.tags(ALPINE, null, 10)).containsExactly(latest);
        assertThat(store.repositoryExists(ALPINE)).isTrue();
        assertThat(store.repositories(null, 10)).containsExactly(ALPINE);
        assertThat(memory().resolveTag(ALPINE, latest)).contains(manifest.digest());
    }

    @Test
    void aMovedTagIsSeenAtOnce() {
        ManifestRecord first = image("first");
        ManifestRecord second = image("second");
        Tag latest = tag("latest");
        store.putManifest(ALPINE, first, content(first), latest);
        assertThat(store.resolveTag(ALPINE, latest)).contains(first.digest());

        store.putManifest(ALPINE, second, content(second), latest);

        assertThat(store.resolveTag(ALPINE, latest)).contains(second.digest());
        assertThat(memory().resolveTag(ALPINE, latest)).contains(second.digest());
    }

    @Test
    void deletesAreSeenAfterTheAnswersWereCached() {
        Digest layer = digest("layer");
        ManifestRecord manifest = image("one", layer);
        Tag latest = tag("latest");
        Tag stable = tag("stable");
        store.putBlob(layer, 7);
        store.linkBlob(ALPINE, layer);
        store.putManifest(ALPINE, manifest, content(manifest), latest);
        store.putManifest(ALPINE, manifest, content(manifest), stable);
        readEverything(manifest, layer, latest);
        assertThat(store.resolveTag(ALPINE, stable)).contains(manifest.digest());

        store.deleteTag(ALPINE, latest);
        assertThat(store.resolveTag(ALPINE, latest)).isEmpty();
        assertThat(store.tags(ALPINE, null, 10)).containsExactly(stable);

        store.deleteManifest(ALPINE, manifest.digest());
        assertThat(store.manifest(ALPINE, manifest.digest())).isEmpty();
        assertThat(store.resolveTag(ALPINE, stable)).isEmpty();
        assertThat(store.tags(ALPINE, null, 10)).isEmpty();

        store.unlinkBlob(ALPINE, layer);
        store.unlinkBlob(ALPINE, manifest.digest());
        assertThat(store.isBlobLinked(ALPINE, layer)).isFalse();
        assertThat(store.repositoryExists(ALPINE)).isFalse();
        assertThat(store.repositories(null, 10)).isEmpty();
    }

    @Test
    void tagPagesComeFromTheCachedListInLexicalOrder() {
        List<Tag> tags = IntStream.range(0, 30).mapToObj(i -> tag("t%02d".formatted(i))).toList();
        for (Tag t : tags) {
            ManifestRecord manifest = image(t.value());
            store.putManifest(ALPINE, manifest, content(manifest), t);
        }

        assertThat(store.tags(ALPINE, null, 5)).isEqualTo(tags.subList(0, 5));
        assertThat(memory().tags(ALPINE, "t04", 5)).isEqualTo(tags.subList(5, 10));
        assertThat(memory().tags(ALPINE, "t045", 2)).isEqualTo(tags.subList(5, 7));
        assertThat(memory().tags(ALPINE, "a", 2)).isEqualTo(tags.subList(0, 2));
        assertThat(memory().tags(ALPINE, "t29", 5)).isEmpty();
        assertThat(memory().tags(ALPINE, "~~~", 5)).isEmpty();
    }

    @Test
    void aLongTagListIsReadPageByPageInstead() {
        store.close();
        store = new CachingMetadataStore(JdbcMetadataStore.sqlite(tempDir.resolve("meta/metadata.db")), MEMORY, 200);
        int count = 201;
        ManifestRecord manifest = image("one");
        store.putManifest(ALPINE, manifest, content(manifest), null);
        List<Tag> tags = IntStream.range(0, count).mapToObj(i -> tag("t%05d".formatted(i))).toList();
        tags.forEach(t -> store.putManifest(ALPINE, manifest, content(manifest), t));

        assertThat(store.tags(ALPINE, "t00099", 2)).isEqualTo(tags.subList(100, 102));
        assertThat(store.tags(ALPINE, null, 300)).isEqualTo(tags);
        assertThatThrownBy(() -> memory().tags(ALPINE, null, 2)).isInstanceOf(NotInMemory.class);
    }

    @Test
    void theMemoryGivenBoundsWhatIsKept() {
        Tag one = tag("one");
        Tag two = tag("two");
        store.resolveTag(ALPINE, one);
        store.resolveTag(ALPINE, two);
        assertThat(memory().resolveTag(ALPINE, one)).isEmpty();

        store.close();
        store = new CachingMetadataStore(JdbcMetadataStore.sqlite(tempDir.resolve("meta/metadata.db")), 0);
        store.resolveTag(ALPINE, one);
        store.resolveTag(ALPINE, two);

        assertThatThrownBy(() -> memory().resolveTag(ALPINE, one)).isInstanceOf(NotInMemory.class);
        assertThat(memory().resolveTag(ALPINE, two)).isEmpty();
    }

    @Test
    void anAnswerLoadedBeforeAnInvalidationIsNotKept() {
        CoherentCache<String, Optional<String>> cache = new CoherentCache<>(16);

        // The load reads the old answer, then a writer commits and invalidates before the load returns.
        Optional<String> stale = cache.get("latest", key -> {
            cache.invalidate(key);
            return Optional.of("old");
        });

        assertThat(stale).contains("old");
        assertThat(cache.peek("latest")).isNull();
        assertThat(cache.get("latest", key -> Optional.of("new"))).contains("new");
        assertThat(cache.peek("latest")).contains("new");
    }

    @Test
    void aFullCacheStartsOver() {
        CoherentCache<Integer, Integer> cache = new CoherentCache<>(4);
        IntStream.range(0, 4).forEach(i -> cache.get(i, key -> key));

        cache.get(4, key -> key);

        assertThat(cache.peek(4)).isEqualTo(4);
        assertThat(cache.peek(0)).isNull();
    }

    private void readEverything(ManifestRecord manifest, Digest layer, Tag tag) {
        RepositoryName repository = ALPINE;
        store.blob(layer);
        store.blob(manifest.digest());
        store.isBlobLinked(repository, layer);
        store.isBlobLinked(repository, manifest.digest());
        store.resolveTag(repository, tag);
        store.manifest(repository, manifest.digest());
        store.tags(repository, null, 10);
        store.repositoryExists(repository);
        store.repositories(null, 10);
    }
}
