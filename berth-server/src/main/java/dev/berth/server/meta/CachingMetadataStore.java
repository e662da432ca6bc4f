package dev.berth.server.meta;

import dev.berth.spec.Digest;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The pull path's answers held in memory in front of another store: tags, manifests, blob links and
 * sizes, whole tag lists and catalog pages, known absences included (a registry answers many 404s).
 * Every write goes through this class and invalidates what it changed once it has committed (see
 * {@link CoherentCache}), so within one process a read never sees less than the writes acknowledged
 * before it. Several processes on one database would each need the others' invalidations.
 *
 * <p>Each cache is bounded by a count of entries, scaled to the memory the store is given. Given
 * {@value #REFERENCE_MIB} MiB, the bounds are the reference counts in the constructor, and caches full
 * to those bounds with realistic names took about that much (measured; a tag list holds up to
 * {@value #LONGEST_CACHED_TAG_LIST} tags, a catalog page 1,000 names).
 *
 * <p>{@link #memoryOnly()} is a view that answers only from memory and throws {@link NotInMemory}
 * otherwise: what an event loop may call.
 */
public final class CachingMetadataStore implements MetadataStore {
    /** Tag lists longer than this are read page by page from the database instead. */
    private static final int LONGEST_CACHED_TAG_LIST = 5_000;
    private static final int REFERENCE_MIB = 30;

    private record In<T>(RepositoryName repository, T item) {
    }

    private record CatalogPage(String last, int limit) {
    }

    private final MetadataStore store;
    private final int longestCachedTagList;
    private final CoherentCache<In<Tag>, Optional<Digest>> tagTargets;
    private final CoherentCache<In<Digest>, Optional<ManifestRecord>> manifests;
    private final CoherentCache<In<Digest>, Boolean> links;
    private final CoherentCache<Digest, Optional<BlobRecord>> blobs;
    /** A repository's tags in order; empty when there are too many to keep. */
    private final CoherentCache<RepositoryName, Optional<List<Tag>>> tagLists;
    private final CoherentCache<RepositoryName, Boolean> listed;
    private final CoherentCache<CatalogPage, List<RepositoryName>> catalogPages;
    private final MetadataReads memoryOnly = new MemoryOnly();

    /** A cache in front of {@code store} that takes at most about {@code memoryBytes} of heap. */
    public CachingMetadataStore(MetadataStore store, long memoryBytes) {
        this(store, memoryBytes, LONGEST_CACHED_TAG_LIST);
    }

    CachingMetadataStore(MetadataStore store, long memoryBytes, int longestCachedTagList) {
        this.store = store;
        this.longestCachedTagList = longestCachedTagList;
        double scale = memoryBytes / (REFERENCE_MIB * 1024.0 * 1024.0);
        tagTargets = new CoherentCache<>(bound(16_384, scale));
        manifests = new CoherentCache<>(bound(4_096, scale));
        links = new CoherentCache<>(bound(16_384, scale));
        blobs = new CoherentCache<>(bound(16_384, scale));
        tagLists = new CoherentCache<>(bound(32, scale));
        listed = new CoherentCache<>(bound(4_096, scale));
        catalogPages = new CoherentCache<>(bound(16, scale));
    }

    private static int bound(int entriesAtReference, double scale) {
        return (int) Math.clamp(Math.round(entriesAtReference * scale), 1, 1 << 24);
    }

    /** The same reads, answered from memory or not at all ({@link NotInMemory}); never blocks. */
    public MetadataReads memoryOnly() {
        return memoryOnly;
    }

    @Override
    public void putBlob(Digest digest, long size) {
        try {
            store.putBlob(digest, size);
        } finally {
            blobs.invalidate(digest);
        }
    }

    @Override
    public Optional<BlobRecord> blob(Digest digest) {
        return blobs.get(digest, store::blob);
    }

    /** Not cached here: the registry keeps these bytes in a cache of its own. */
    @Override
    public Optional<byte[]> blobContent(Digest digest) {
        return store.blobContent(digest);
    }

    @Override
    public void linkBlob(RepositoryName repository, Digest digest) {
        try {
            store.linkBlob(repository, digest);
        } finally {
            links.invalidate(new In<>(repository, digest));
            membershipChanged(repository);
        }
    }

    @Override
    public boolean isBlobLinked(RepositoryName repository, Digest digest) {
        return links.get(new In<>(repository, digest), key -> store.isBlobLinked(repository, digest));
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        try {
            return store.unlinkBlob(repository, digest);
        } finally {
            links.invalidate(new In<>(repository, digest));
            membershipChanged(repository);
        }
    }

    @Override
    public List<RepositoryName> repositoriesWithBlob(Digest digest, int limit) {
        return store.repositoriesWithBlob(digest, limit);
    }

    @Override
    public void putManifest(RepositoryName repository, ManifestRecord manifest, byte[] content, Tag tag) {
        try {
            store.putManifest(repository, manifest, content, tag);
        } finally {
            manifests.invalidate(new In<>(repository, manifest.digest()));
            links.invalidate(new In<>(repository, manifest.content()));
            blobs.invalidate(manifest.content());
            if (tag != null) {
                tagTargets.invalidate(new In<>(repository, tag));
                tagLists.invalidate(repository);
            }
            membershipChanged(repository);
        }
    }

    @Override
    public Optional<ManifestRecord> manifest(RepositoryName repository, Digest digest) {
        return manifests.get(new In<>(repository, digest), key -> store.manifest(repository, digest));
    }

    @Override
    public Optional<Digest> resolveTag(RepositoryName repository, Tag tag) {
        return tagTargets.get(new In<>(repository, tag), key -> store.resolveTag(repository, tag));
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest) {
        try {
            return store.deleteManifest(repository, digest);
        } finally {
            manifests.invalidate(new In<>(repository, digest));
            tagTargets.invalidateAll(); // its tags went with it, whichever they were
            tagLists.invalidate(repository);
            membershipChanged(repository);
        }
    }

    @Override
    public boolean deleteTag(RepositoryName repository, Tag tag) {
        try {
            return store.deleteTag(repository, tag);
        } finally {
            tagTargets.invalidate(new In<>(repository, tag));
            tagLists.invalidate(repository);
        }
    }

    @Override
    public List<Tag> tags(RepositoryName repository, String last, int limit) {
        return tagLists.get(repository, this::loadTagList)
                .map(all -> page(all, last, limit))
                .orElseGet(() -> store.tags(repository, last, limit));
    }

    @Override
    public boolean repositoryExists(RepositoryName repository) {
        return listed.get(repository, store::repositoryExists);
    }

    @Override
    public List<RepositoryName> repositories(String last, int limit) {
        return catalogPages.get(new CatalogPage(last, limit), page -> store.repositories(last, limit));
    }

    @Override
    public List<ManifestRecord> referrers(RepositoryName repository, Digest subject, String artifactType) {
        return store.referrers(repository, subject, artifactType);
    }

    @Override
    public void createUpload(UploadSession session) {
        store.createUpload(session);
    }

    @Override
    public Optional<UploadSession> upload(String id) {
        return store.upload(id);
    }

    @Override
    public void deleteUpload(String id) {
        store.deleteUpload(id);
    }

    @Override
    public void completeUpload(UploadSession session, Digest digest, long size, byte[] content) {
        try {
            store.completeUpload(session, digest, size, content);
        } finally {
            blobs.invalidate(digest);
            links.invalidate(new In<>(session.repository(), digest));
            membershipChanged(session.repository());
        }
    }

    @Override
    public List<UploadSession> uploadsStartedBefore(Instant cutoff, int limit) {
        return store.uploadsStartedBefore(cutoff, limit);
    }

    @Override
    public void close() {
        store.close();
    }

    private void membershipChanged(RepositoryName repository) {
        listed.invalidate(repository);
        catalogPages.invalidateAll();
    }

    private Optional<List<Tag>> loadTagList(RepositoryName repository) {
        List<Tag> all = store.tags(repository, null, longestCachedTagList + 1);
        return all.size() > longestCachedTagList ? Optional.empty() : Optional.of(List.copyOf(all));
    }

    /** The tags after {@code last} (exclusive), at most {@code limit}, from a list in lexical order. */
    private static List<Tag> page(List<Tag> all, String last, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit " + limit);
        }
        int from = 0;
        if (last != null) {
            int to = all.size();
            while (from < to) {
                int middle = (from + to) >>> 1;
                if (all.get(middle).value().compareTo(last) <= 0) {
                    from = middle + 1;
                } else {
                    to = middle;
                }
            }
        }
        return all.subList(from, Math.min(all.size(), from + limit));
    }

    private final class MemoryOnly implements MetadataReads {

        @Override
        public Optional<BlobRecord> blob(Digest digest) {
            return known(blobs.peek(digest));
        }

        @Override
        public boolean isBlobLinked(RepositoryName repository, Digest digest) {
            return known(links.peek(new In<>(repository, digest)));
        }

        @Override
        public Optional<ManifestRecord> manifest(RepositoryName repository, Digest digest) {
            return known(manifests.peek(new In<>(repository, digest)));
        }

        @Override
        public Optional<Digest> resolveTag(RepositoryName repository, Tag tag) {
            return known(tagTargets.peek(new In<>(repository, tag)));
        }

        @Override
        public List<Tag> tags(RepositoryName repository, String last, int limit) {
            return known(tagLists.peek(repository)).map(all -> page(all, last, limit)).orElseThrow(NotInMemory::instance);
        }

        @Override
        public boolean repositoryExists(RepositoryName repository) {
            return known(listed.peek(repository));
        }

        @Override
        public List<RepositoryName> repositories(String last, int limit) {
            return known(catalogPages.peek(new CatalogPage(last, limit)));
        }

        private static <T> T known(T answer) {
            if (answer == null) {
                throw NotInMemory.INSTANCE;
            }
            return answer;
        }
    }
}
