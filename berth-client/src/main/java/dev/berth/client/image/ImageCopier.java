package dev.berth.client.image;

import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.DockerManifest;
import dev.berth.spec.manifest.DockerManifestList;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.ImageManifest;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Schema1Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Copies an image, or an index with everything it refers to, from a source to a destination, keeping
 * every manifest's exact bytes so that digests survive (an index copied whole keeps its digest, a
 * signed schema 1 manifest its signatures).
 *
 * <p>Order: the root is read and, when it is an index and a single platform is asked for, replaced by
 * the best entry for that platform. Then every blob, each at most once, those the destination already
 * has skipped, several at a time ({@link CopyOptions#parallelism()}), each streamed from source to
 * destination and verified against its digest and size on the way; then the manifests an index refers
 * to; the root last, under the tag. Foreign (non-distributable) layers are not copied. Nothing is held in
 * memory beyond manifests.
 *
 * <pre>{@code
 * CopyReport report = ImageCopier.copy(source, Tag.parse("latest"), destination,
 *         CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
 * destination.commit();
 * }</pre>
 */
public final class ImageCopier {
    private static final String SCHEMA1_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final long PROGRESS_STEP = 256 * 1024;
    private static final int MAX_DEPTH = 8;

    private final ImageSource source;
    private final ImageDestination destination;
    private final CopyOptions options;
    private final Map<Digest, Manifest> manifests = new LinkedHashMap<>();
    private final Map<Digest, BlobInfo> blobs = new LinkedHashMap<>();
    private final AtomicInteger copied = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    private ImageCopier(ImageSource source, ImageDestination destination, CopyOptions options) {
        this.source = source;
        this.destination = destination;
        this.options = options;
    }

    /**
     * Copies what {@code identifier} names in {@code source} into {@code destination}. Archive
     * destinations still need their {@link ImageDestination#commit()}.
     *
     * @throws ImageNotFoundException when the source lacks the manifest, a child or a blob, or an index
     *     has no entry for the platform asked for
     * @throws InvalidImageException when content does not match its digest or size, or the destination
     *     cannot hold what is copied
     */
    public static CopyReport copy(ImageSource source, Identifier identifier, ImageDestination destination,
            CopyOptions options) throws IOException {
        return new ImageCopier(source, destination, options).run(identifier);
    }

    private CopyReport run(Identifier identifier) throws IOException {
        Manifest root = source.manifest(identifier);
        if (identifier instanceof Digest digest && !hasDigest(root, digest)) {
            throw new InvalidImageException("manifest fetched by " + digest + " has digest " + root.digest());
        }
        root = choosePlatform(root);
        if (isIndex(root) && !destination.supportsIndexes()) {
            throw new InvalidImageException("the destination holds single images only; choose a platform instead of "
                    + options.platforms());
        }
        collect(root, 0);
        copyBlobs();
        for (Manifest manifest : manifests.values()) {
            if (manifest != root) {
                destination.putManifest(manifest);
            }
        }
        Optional<Tag> tag = options.tag().or(() -> identifier instanceof Tag t ? Optional.of(t) : Optional.empty());
        destination.putRoot(root, tag);
        return new CopyReport(root.digest(), root.mediaType(), List.copyOf(manifests.keySet()), copied.get(),
                skipped.get(), bytes.get());
    }

    /**
     * An index becomes its best entry for the platform asked for, unless the whole index is wanted. Entries
     * that are indexes themselves (without a platform, or with a matching one) are looked into, as
     * containerd does.
     */
    private Manifest choosePlatform(Manifest root) throws IOException {
        if (options.platforms().isAll() || !isIndex(root)) {
            return root;
        }
        List<Descriptor> candidates = new ArrayList<>();
        candidates(root, 0, candidates);
        Optional<Descriptor> chosen = options.platforms().select(candidates);
        if (chosen.isEmpty()) {
            String available = candidates.stream().map(d -> PlatformMatcher.format(d.platform()))
                    .distinct().collect(Collectors.joining(", "));
            throw new ImageNotFoundException("no manifest for " + options.platforms() + " in " + root.digest()
                    + (available.isEmpty() ? "" : "; it has " + available));
        }
        return child(chosen.get());
    }

    private void candidates(Manifest index, int depth, List<Descriptor> candidates) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw new InvalidImageException("indexes nested more than " + MAX_DEPTH + " deep");
        }
        for (Descriptor entry : index.children()) {
            if (MediaTypes.isIndex(entry.mediaType())
                    && (entry.platform() == null || options.platforms().matches(entry.platform()))) {
                candidates(child(entry), depth + 1, candidates);
            } else {
                candidates.add(entry);
            }
        }
    }

    /** Walks the tree depth first, so that {@link #manifests} lists every manifest after its children. */
    private void collect(Manifest manifest, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidImageException("indexes nested more than " + MAX_DEPTH + " deep");
        }
        switch (manifest) {
            case ImageIndex index -> children(index.manifests(), depth);
            case DockerManifestList list -> children(list.manifests(), depth);
            case ImageManifest image -> layers(image.config(), image.layers());
            case DockerManifest image -> layers(image.config(), image.layers());
            case Schema1Manifest schema1 -> schema1.fsLayers()
                    .forEach(layer -> blobs.putIfAbsent(layer, new BlobInfo(layer, -1, SCHEMA1_LAYER)));
        }
        manifests.putIfAbsent(manifest.digest(), manifest);
    }

    private void children(List<Descriptor> entries, int depth) throws IOException {
        for (Descriptor entry : entries) {
            if (!manifests.containsKey(entry.digest())) {
                collect(child(entry), depth + 1);
            }
        }
    }

    private void layers(Descriptor config, List<Descriptor> layers) {
        blobs.putIfAbsent(config.digest(), new BlobInfo(config.digest(), config.size(), config.mediaType()));
        for (Descriptor layer : layers) {
            if (!layer.isForeign()) {
                blobs.putIfAbsent(layer.digest(), new BlobInfo(layer.digest(), layer.size(), layer.mediaType()));
            }
        }
    }

    private Manifest child(Descriptor entry) throws IOException {
        Manifest child = source.manifest(entry.digest());
        if (!hasDigest(child, entry.digest()) || child.content().length != entry.size()) {
            throw new InvalidImageException("manifest " + entry.digest() + " (" + entry.size() + " bytes) came back as "
                    + child.digest() + " (" + child.content().length + " bytes)");
        }
        return child;
    }

    private void copyBlobs() throws IOException {
        int threads = Math.min(options.parallelism(), Math.max(1, blobs.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofVirtual().name("berth-copy-", 0).factory());
        try {
            ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
            List<Future<Void>> futures = new ArrayList<>();
            for (BlobInfo blob : blobs.values()) {
                futures.add(done.submit(() -> {
                    copyBlob(blob);
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                done.take().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("copy interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void copyBlob(BlobInfo wanted) throws IOException {
        if (destination.hasBlob(wanted.digest())) {
            skipped.incrementAndGet();
            options.progress().accept(new BlobProgress(wanted.digest(), wanted.size(), 0, BlobProgress.Phase.SKIPPED));
            return;
        }
        try (Transfer transfer = new Transfer(source.blob(wanted.digest()), wanted)) {
            options.progress().accept(new BlobProgress(transfer.blob.digest(), transfer.blob.size(), 0, BlobProgress.Phase.STARTED));
            destination.putBlob(transfer.blob, transfer);
            VerifyingInputStream last = transfer.last();
            if (last == null) {
                skipped.incrementAndGet();
                options.progress().accept(new BlobProgress(wanted.digest(), transfer.blob.size(), 0, BlobProgress.Phase.SKIPPED));
                return;
            }
            last.finish();
            copied.incrementAndGet();
            bytes.addAndGet(last.count());
            options.progress().accept(new BlobProgress(wanted.digest(), transfer.blob.size(), last.count(), BlobProgress.Phase.DONE));
        }
    }

    /**
     * One blob on its way: the source stream opened first (to learn the size) serves the destination's
     * first {@link #open()}; a retry opens the source again. Every stream is verified and reports progress.
     */
    private final class Transfer implements BlobOpener, AutoCloseable {
        private final BlobInfo blob;
        private final List<BlobStream> opened = new ArrayList<>();
        private BlobStream unused;
        private VerifyingInputStream last;

        Transfer(BlobStream first, BlobInfo wanted) throws IOException {
            opened.add(first);
            this.unused = first;
            checkSize(first, wanted);
            this.blob = wanted.size() >= 0 ? wanted : new BlobInfo(wanted.digest(), first.size(), wanted.mediaType());
        }

        @Override
        public synchronized InputStream open() throws IOException {
            BlobStream stream = unused;
            unused = null;
            if (stream == null) {
                stream = checkSize(source.blob(blob.digest()), blob);
                opened.add(stream);
            }
            long[] reported = {0};
            last = new VerifyingInputStream(stream.content(), blob.digest(), blob.size(), count -> {
                if (count - reported[0] >= PROGRESS_STEP) {
                    reported[0] = count;
                    options.progress().accept(new BlobProgress(blob.digest(), blob.size(), count, BlobProgress.Phase.TRANSFERRING));
                }
            });
            return last;
        }

        synchronized VerifyingInputStream last() {
            return last;
        }

        @Override
        public synchronized void close() {
            for (BlobStream stream : opened) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // already finished with it
                }
            }
        }
    }

    private static BlobStream checkSize(BlobStream stream, BlobInfo wanted) throws InvalidImageException {
        if (wanted.size() >= 0 && stream.size() >= 0 && stream.size() != wanted.size()) {
            try {
                stream.close();
            } catch (IOException e) {
                // refused anyway
            }
            throw new InvalidImageException("blob " + wanted.digest() + " is " + stream.size()
                    + " bytes, its manifest says " + wanted.size());
        }
        return stream;
    }

    private static boolean isIndex(Manifest manifest) {
        return manifest instanceof ImageIndex || manifest instanceof DockerManifestList;
    }

    /** Schema 1 manifests are named by the digest of their signed payload, everything else by its bytes. */
    private static boolean hasDigest(Manifest manifest, Digest digest) {
        return manifest instanceof Schema1Manifest
                ? manifest.digest().equals(digest) || digest.recompute(manifest.content()).equals(digest)
                : digest.recompute(manifest.content()).equals(digest);
    }
}
