package dev.berth.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MetadataStore} must do. An implementation's test extends this class and says how to
 * open a fresh, empty store.
 */
abstract class MetadataStoreContract {
    static final RepositoryName ALPINE = RepositoryName.parse("library/alpine");
    static final RepositoryName BUSYBOX = RepositoryName.parse("library/busybox");
    static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
    static final String SBOM = "application/spdx+json";
    static final String SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";

    @TempDir
    Path tempDir;

    MetadataStore store;

    /** A new, empty store whose files, if any, live under {@code tempDir}. */
    protected abstract MetadataStore newStore(Path tempDir);

    @BeforeEach
    void open() {
        store = newStore(tempDir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Digest digest(String content) {
        return Digest.sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    static Tag tag(String name) {
        return Tag.parse(name);
    }

    static ManifestRecord image(String name, Digest... references) {
        return new ManifestRecord(digest(name), IMAGE, 500 + name.length(), null, null, Map.of(),
                List.of(references));
    }

    /** Stands for a manifest's bytes: what a store keeps is opaque to it. */
    static byte[] content(ManifestRecord manifest) {
        return ("manifest " + manifest.digest()).getBytes(StandardCharsets.UTF_8);
    }

    static ManifestRecord referrer(String name, Digest subject, String artifactType) {
        return new ManifestRecord(digest(name), IMAGE, 300, artifactType, subject,
                Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z", "name", name), List.of());
    }

    // blobs

    @Test
    void putBlobIsIdempotentAndRecordsTheSize() {
        Digest layer = digest("layer");
        store.putBlob(layer, 42);
        store.putBlob(layer, 42);

        assertThat(store.blob(layer)).contains(new BlobRecord(42, false));
        assertThat(store.blob(digest("absent"))).isEmpty();
        assertThat(store.blobContent(layer)).isEmpty();
    }

    @Test
    void linkBlobIsIdempotentAndCreatesTheRepository() {
        Digest layer = digest("layer");
        store.putBlob(layer, 42);
        assertThat(store.repositoryExists(ALPINE)).isFalse();

        store.linkBlob(ALPINE, layer);
        store.linkBlob(ALPINE, layer);

        assertThat(store.isBlobLinked(ALPINE, layer)).isTrue();
        assertThat(store.isBlobLinked(BUSYBOX, layer)).isFalse();
        assertThat(store.isBlobLinked(ALPINE, digest("other"))).isFalse();
        assertThat(store.repositoryExists(ALPINE)).isTrue();
        assertThat(store.repositories(null, 10)).containsExactly(ALPINE);
    }

    @Test
    void linkingAnUnknownBlobFailsWithoutCreatingTheRepository() {
        assertThatThrownBy(() -> store.linkBlob(ALPINE, digest("never put")))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UNKNOWN));

        assertThat(store.repositoryExists(ALPINE)).isFalse();
        assertThat(store.repositories(null, 10)).isEmpty();

        store.putBlob(digest("layer"), 1);
        store.linkBlob(ALPINE, digest("layer"));
        assertThat(store.isBlobLinked(ALPINE, digest("layer"))).as("the failed write released its lock").isTrue();
    }

    @Test
    void unlinkBlobRemovesOnlyThatLink() {
        Digest layer = digest("layer");
        store.putBlob(layer, 42);
        store.linkBlob(ALPINE, layer);
        store.linkBlob(BUSYBOX, layer);

        assertThat(store.unlinkBlob(ALPINE, layer)).isTrue();
        assertThat(store.unlinkBlob(ALPINE, layer)).isFalse();
        assertThat(store.unlinkBlob(RepositoryName.parse("nowhere"), layer)).isFalse();

        assertThat(store.isBlobLinked(ALPINE, layer)).isFalse();
        assertThat(store.isBlobLinked(BUSYBOX, layer)).isTrue();
        assertThat(store.blob(layer)).contains(new BlobRecord(42, false));
        assertThat(store.repositoriesWithBlob(layer, 10)).containsExactly(BUSYBOX);
    }

    @Test
    void repositoriesWithBlobAreInNameOrderUpToTheLimit() {
        Digest layer = digest("layer");
        store.putBlob(layer, 42);
        for (String name : List.of("c/one", "a/one", "b", "a")) {
            store.linkBlob(RepositoryName.parse(name), layer);
        }
        store.putBlob(digest("other"), 1);
        store.linkBlob(RepositoryName.parse("z"), digest("other"));

        assertThat(store.repositoriesWithBlob(layer, 10)).extracting(RepositoryName::value)
                .containsExactly("a", "a/one", "b", "c/one");
        assertThat(store.repositoriesWithBlob(layer, 2)).extracting(RepositoryName::value)
                .containsExactly("a", "a/one");
        assertThat(store.repositoriesWithBlob(digest("absent"), 10)).isEmpty();
    }

    // manifests and tags

    @Test
    void putManifestStoresEverythingAndLinksItsOwnBytes() {
        Digest config = digest("config");
        Digest layer = digest("layer");
        ManifestRecord manifest = new ManifestRecord(digest("manifest"), IMAGE, 1234, "application/x-thing",
                digest("subject"), Map.of("a", "1", "b", "two"), List.of(config, layer, config));

        store.putManifest(ALPINE, manifest, content(manifest), tag("latest"));

        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
        assertThat(store.manifest(BUSYBOX, manifest.digest())).isEmpty();
        assertThat(store.resolveTag(ALPINE, tag("latest"))).contains(manifest.digest());
        assertThat(store.isBlobLinked(ALPINE, manifest.digest())).isTrue();
        assertThat(store.blob(manifest.digest())).contains(new BlobRecord(1234, true));
        assertThat(store.blobContent(manifest.digest())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(content(manifest)));
        assertThat(store.repositoryExists(ALPINE)).isTrue();
    }

    @Test
    void aManifestUploadedAsABlobFirstKeepsItsBytesInTheBlobStore() {
        ManifestRecord manifest = image("uploaded first");
        store.putBlob(manifest.digest(), manifest.size());

        store.putManifest(ALPINE, manifest, content(manifest), tag("latest"));

        assertThat(store.blob(manifest.digest())).contains(new BlobRecord(manifest.size(), false));
        assertThat(store.blobContent(manifest.digest())).isEmpty();
        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
    }

    @Test
    void putManifestWithoutTagOrReferences() {
        ManifestRecord manifest = image("empty");

        store.putManifest(ALPINE, manifest, content(manifest), null);

        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
        assertThat(store.tags(ALPINE, null, 10)).isEmpty();
    }

    @Test
    void puttingTheSameManifestAgainIsHarmless() {
        ManifestRecord manifest = image("one", digest("config"), digest("layer"));

        store.putManifest(ALPINE, manifest, content(manifest), tag("v1"));
        store.putManifest(ALPINE, manifest, content(manifest), tag("v1"));
        store.putManifest(ALPINE, manifest, content(manifest), null);

        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
        assertThat(store.tags(ALPINE, null, 10)).containsExactly(tag("v1"));
        assertThat(store.repositories(null, 10)).containsExactly(ALPINE);
    }

    @Test
    void aTagMovesToTheNewestManifestPutWithIt() {
        ManifestRecord first = image("first");
        ManifestRecord second = image("second");

        store.putManifest(ALPINE, first, content(first), tag("latest"));
        store.putManifest(ALPINE, second, content(second), tag("latest"));

        assertThat(store.resolveTag(ALPINE, tag("latest"))).contains(second.digest());
        assertThat(store.manifest(ALPINE, first.digest())).contains(first);
        assertThat(store.tags(ALPINE, null, 10)).containsExactly(tag("latest"));
    }

    @Test
    void tagsAreScopedToTheirRepository() {
        store.putManifest(ALPINE, image("a"), content(image("a")), tag("latest"));

        assertThat(store.resolveTag(BUSYBOX, tag("latest"))).isEmpty();
        assertThat(store.resolveTag(ALPINE, tag("other"))).isEmpty();
        assertThat(store.tags(BUSYBOX, null, 10)).isEmpty();
    }

    @Test
    void deleteManifestRemovesItAndEveryTagPointingAtIt() {
        ManifestRecord doomed = image("doomed", digest("layer"));
        ManifestRecord kept = image("kept");
        store.putManifest(ALPINE, doomed, content(doomed), tag("v1"));
        store.putManifest(ALPINE, doomed, content(doomed), tag("v1.0"));
        store.putManifest(ALPINE, kept, content(kept), tag("v2"));
        store.putManifest(BUSYBOX, doomed, content(doomed), tag("v1"));

        assertThat(store.deleteManifest(ALPINE, doomed.digest())).isTrue();
        assertThat(store.deleteManifest(ALPINE, doomed.digest())).isFalse();

        assertThat(store.manifest(ALPINE, doomed.digest())).isEmpty();
        assertThat(store.resolveTag(ALPINE, tag("v1"))).isEmpty();
        assertThat(store.tags(ALPINE, null, 10)).containsExactly(tag("v2"));
        assertThat(store.manifest(BUSYBOX, doomed.digest())).contains(doomed);
        assertThat(store.resolveTag(BUSYBOX, tag("v1"))).contains(doomed.digest());

        store.putManifest(ALPINE, doomed, content(doomed), null);
        assertThat(store.manifest(ALPINE, doomed.digest())).contains(doomed);
        assertThat(store.tags(ALPINE, null, 10)).containsExactly(tag("v2"));
    }

    @Test
    void deleteManifestOfUnknownRepositoryOrDigest() {
        assertThat(store.deleteManifest(ALPINE, digest("nothing"))).isFalse();
        store.putManifest(ALPINE, image("a"), content(image("a")), null);
        assertThat(store.deleteManifest(ALPINE, digest("nothing"))).isFalse();
    }

    @Test
    void deleteTagKeepsTheManifest() {
        ManifestRecord manifest = image("a");
        store.putManifest(ALPINE, manifest, content(manifest), tag("v1"));
        store.putManifest(ALPINE, manifest, content(manifest), tag("latest"));

        assertThat(store.deleteTag(ALPINE, tag("v1"))).isTrue();
        assertThat(store.deleteTag(ALPINE, tag("v1"))).isFalse();
        assertThat(store.deleteTag(BUSYBOX, tag("latest"))).isFalse();

        assertThat(store.resolveTag(ALPINE, tag("v1"))).isEmpty();
        assertThat(store.resolveTag(ALPINE, tag("latest"))).contains(manifest.digest());
        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
    }

    @Test
    void tagsPageInLexicalOrder() {
        List<String> names = List.of("latest", "v1.0", "v1.0.1", "V2", "1", "10", "9", "_x", "a-b", "a.b", "a");
        for (String name : names) {
            store.putManifest(ALPINE, image(name), content(image(name)), tag(name));
        }
        List<Tag> sorted = names.stream().sorted().map(Tag::parse).toList();

        assertThat(store.tags(ALPINE, null, 100)).containsExactlyElementsOf(sorted);
        assertThat(store.tags(ALPINE, null, 3)).containsExactlyElementsOf(sorted.subList(0, 3));
        assertThat(store.tags(ALPINE, sorted.get(2).value(), 3)).containsExactlyElementsOf(sorted.subList(3, 6));
        assertThat(store.tags(ALPINE, sorted.getLast().value(), 3)).isEmpty();
        assertThat(store.tags(ALPINE, "b", 100)).containsExactly(tag("latest"), tag("v1.0"), tag("v1.0.1"));
        assertThat(store.tags(ALPINE, null, 0)).isEmpty();
        assertThatThrownBy(() -> store.tags(ALPINE, null, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void paginationWalksEveryTagExactlyOnce() {
        for (int i = 0; i < 25; i++) {
            store.putManifest(ALPINE, image("m" + i), content(image("m" + i)), tag("t" + i));
        }
        List<Tag> seen = new ArrayList<>();
        String last = null;
        List<Tag> page;
        do {
            page = store.tags(ALPINE, last, 7);
            seen.addAll(page);
            last = page.isEmpty() ? last : page.getLast().value();
        } while (page.size() == 7);

        assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
    }

    // catalog

    @Test
    void repositoriesPageInLexicalOrder() {
        List<String> names = List.of("library/alpine", "library/busybox", "a", "a/b", "a-b", "a.b", "z9", "a0");
        for (String name : names) {
            store.putManifest(RepositoryName.parse(name), image(name), content(image(name)), tag("latest"));
        }
        List<RepositoryName> sorted = names.stream().sorted().map(RepositoryName::parse).toList();

        assertThat(store.repositories(null, 100)).containsExactlyElementsOf(sorted);
        assertThat(store.repositories(null, 3)).containsExactlyElementsOf(sorted.subList(0, 3));
        assertThat(store.repositories(sorted.get(2).value(), 3)).containsExactlyElementsOf(sorted.subList(3, 6));
        assertThat(store.repositories("library/alpine", 100))
                .extracting(RepositoryName::value).containsExactly("library/busybox", "z9");
        assertThat(store.repositories("zz", 100)).isEmpty();
        assertThat(store.repositories(null, 0)).isEmpty();
    }

    @Test
    void aRepositoryEmptiedOfManifestsAndBlobsLeavesTheCatalog() {
        ManifestRecord manifest = image("a");
        Digest layer = digest("layer");
        store.putBlob(layer, 1);
        store.linkBlob(ALPINE, layer);
        store.putManifest(ALPINE, manifest, content(manifest), tag("latest"));
        store.putManifest(BUSYBOX, image("b"), content(image("b")), tag("latest"));

        store.deleteManifest(ALPINE, manifest.digest());
        store.unlinkBlob(ALPINE, layer);
        assertThat(store.repositoryExists(ALPINE)).as("the manifest's own bytes stay linked").isTrue();

        store.unlinkBlob(ALPINE, manifest.digest());
        assertThat(store.repositoryExists(ALPINE)).isFalse();
        assertThat(store.repositories(null, 10)).containsExactly(BUSYBOX);

        store.linkBlob(ALPINE, layer);
        assertThat(store.repositories(null, 10)).containsExactly(ALPINE, BUSYBOX);
    }

    // referrers

    @Test
    void referrersOfASubjectInDigestOrder() {
        ManifestRecord subject = image("subject");
        store.putManifest(ALPINE, subject, content(subject), tag("latest"));
        List<ManifestRecord> referrers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ManifestRecord r = referrer("r" + i, subject.digest(), i % 2 == 0 ? SBOM : SIGNATURE);
            store.putManifest(ALPINE, r, content(r), null);
            referrers.add(r);
        }
        ManifestRecord elsewhere = referrer("elsewhere", digest("other subject"), SBOM);
        ManifestRecord otherRepository = referrer("other repository", subject.digest(), SBOM);
        ManifestRecord untyped = new ManifestRecord(digest("untyped"), IMAGE, 10, null, subject.digest(),
                Map.of(), List.of(digest("blob")));
        store.putManifest(ALPINE, elsewhere, content(elsewhere), null);
        store.putManifest(BUSYBOX, otherRepository, content(otherRepository), null);
        store.putManifest(ALPINE, untyped, content(untyped), null);

        List<ManifestRecord> all = store.referrers(ALPINE, subject.digest(), null);
        assertThat(all).extracting(ManifestRecord::digest).isSorted().hasSize(7);
        assertThat(all).containsAll(referrers);
        assertThat(all).filteredOn(m -> m.artifactType() == null)
                .singleElement().satisfies(m -> assertThat(m.references()).containsExactly(digest("blob")));

        assertThat(store.referrers(ALPINE, subject.digest(), SBOM))
                .extracting(ManifestRecord::digest).isSorted()
                .containsExactlyInAnyOrderElementsOf(referrers.stream()
                        .filter(r -> r.artifactType().equals(SBOM)).map(ManifestRecord::digest).toList());
        assertThat(store.referrers(ALPINE, subject.digest(), "application/unknown")).isEmpty();
        assertThat(store.referrers(ALPINE, digest("no referrers"), null)).isEmpty();
        assertThat(store.referrers(RepositoryName.parse("nowhere"), subject.digest(), null)).isEmpty();
    }

    @Test
    void aDeletedReferrerIsGone() {
        Digest subject = digest("subject");
        ManifestRecord sbom = referrer("sbom", subject, SBOM);
        store.putManifest(ALPINE, sbom, content(sbom), null);

        store.deleteManifest(ALPINE, sbom.digest());

        assertThat(store.referrers(ALPINE, subject, null)).isEmpty();
    }

    // uploads

    @Test
    void uploadsCanBeCreatedReadAndDeleted() {
        UploadSession session = new UploadSession("0f5c7a1e-2b0e-4a59-9d7e-3f1b2a4c5d6e", ALPINE,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));

        store.createUpload(session);

        assertThat(store.upload(session.id())).contains(session);
        assertThat(store.upload("unknown")).isEmpty();

        store.deleteUpload(session.id());
        store.deleteUpload(session.id());
        assertThat(store.upload(session.id())).isEmpty();
        assertThat(store.repositoryExists(ALPINE)).as("an upload alone creates no repository").isFalse();
    }

    @Test
    void completingAnUploadRecordsAndLinksTheBlobAndEndsTheSession() {
        UploadSession session = new UploadSession("0f5c7a1e-2b0e-4a59-9d7e-3f1b2a4c5d6f", ALPINE,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Digest layer = digest("layer");
        store.createUpload(session);

        store.completeUpload(session, layer, 42, null);

        assertThat(store.upload(session.id())).isEmpty();
        assertThat(store.blob(layer)).contains(new BlobRecord(42, false));
        assertThat(store.isBlobLinked(ALPINE, layer)).isTrue();
        assertThat(store.repositories(null, 10)).containsExactly(ALPINE);
    }

    @Test
    void anUploadCompletedWithItsBytesKeepsThem() {
        UploadSession session = new UploadSession("1f5c7a1e-2b0e-4a59-9d7e-3f1b2a4c5d6f", ALPINE,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        byte[] config = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(config);
        store.createUpload(session);

        store.completeUpload(session, digest, config.length, config);

        assertThat(store.upload(session.id())).isEmpty();
        assertThat(store.blob(digest)).contains(new BlobRecord(config.length, true));
        assertThat(store.blobContent(digest)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(config));
        assertThat(store.isBlobLinked(ALPINE, digest)).isTrue();
    }

    @Test
    void staleUploadsAreListedOldestFirst() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UploadSession old = new UploadSession("a0000000-0000-4000-8000-000000000001", ALPINE, now.minus(Duration.ofDays(9)));
        UploadSession older = new UploadSession("a0000000-0000-4000-8000-000000000002", ALPINE, now.minus(Duration.ofDays(10)));
        UploadSession fresh = new UploadSession("a0000000-0000-4000-8000-000000000003", ALPINE, now);
        List.of(old, older, fresh).forEach(store::createUpload);

        Instant cutoff = now.minus(Duration.ofDays(7));
        assertThat(store.uploadsStartedBefore(cutoff, 10)).containsExactly(older, old);
        assertThat(store.uploadsStartedBefore(cutoff, 1)).containsExactly(older);
        assertThat(store.uploadsStartedBefore(now.minus(Duration.ofDays(30)), 10)).isEmpty();
    }

    // concurrency

    @Test
    void concurrentPushesOfTheSameManifestTagAndBlob() throws Exception {
        Digest layer = digest("layer");
        ManifestRecord manifest = image("shared", digest("config"), layer);

        runConcurrently(32, i -> {
            store.putBlob(layer, 42);
            store.linkBlob(ALPINE, layer);
            store.putManifest(ALPINE, manifest, content(manifest), tag("latest"));
            assertThat(store.resolveTag(ALPINE, tag("latest"))).contains(manifest.digest());
        });

        assertThat(store.manifest(ALPINE, manifest.digest())).contains(manifest);
        assertThat(store.tags(ALPINE, null, 10)).containsExactly(tag("latest"));
        assertThat(store.repositories(null, 10)).containsExactly(ALPINE);
        assertThat(store.repositoriesWithBlob(layer, 10)).containsExactly(ALPINE);
        assertThat(store.blob(layer)).contains(new BlobRecord(42, false));
    }

    @Test
    void concurrentPushesOfDistinctManifestsAreAllVisible() throws Exception {
        RepositoryName shared = RepositoryName.parse("shared");

        runConcurrently(32, i -> {
            RepositoryName own = RepositoryName.parse("repo" + i);
            Digest layer = digest("layer" + i);
            store.putBlob(layer, i);
            store.linkBlob(own, layer);
            store.putManifest(own, image("own" + i, layer), content(image("own" + i, layer)), tag("latest"));
            store.putManifest(shared, image("shared" + i), content(image("shared" + i)), tag("t" + i));
            store.putManifest(shared, image("moving" + i), content(image("moving" + i)), tag("moving"));
        });

        assertThat(store.repositories(null, 100)).hasSize(33).isSorted();
        assertThat(store.tags(shared, null, 100)).hasSize(33);
        for (int i = 0; i < 32; i++) {
            RepositoryName own = RepositoryName.parse("repo" + i);
            assertThat(store.resolveTag(own, tag("latest"))).contains(digest("own" + i));
            assertThat(store.isBlobLinked(own, digest("layer" + i))).isTrue();
            assertThat(store.resolveTag(shared, tag("t" + i))).contains(digest("shared" + i));
        }
        Digest moving = store.resolveTag(shared, tag("moving")).orElseThrow();
        assertThat(IntStream.range(0, 32).mapToObj(i -> digest("moving" + i))).contains(moving);
    }

    interface Push {
        void run(int thread) throws Exception;
    }

    /** Runs {@code push} on {@code threads} virtual threads released at once; rethrows the first failure. */
    static void runConcurrently(int threads, Push push) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    push.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }
}
