package dev.berth.client.image;

import dev.berth.client.BlobPush;
import dev.berth.client.BlobSource;
import dev.berth.client.RegistryClient;
import dev.berth.spec.Digest;
import dev.berth.spec.Reference;
import dev.berth.spec.Repository;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One repository of a registry, written through a {@link RegistryClient}. {@link #hasBlob} is a blob
 * HEAD; {@link #putBlob} is {@link RegistryClient#pushBlob}: a cross-repository mount when the blob
 * comes from {@linkplain #mountingFrom another repository of the same registry}, otherwise an upload
 * streamed from the source. Manifests an index refers to are pushed by digest, the root under the tag
 * (by digest when there is none), always with their exact bytes, so digests survive.
 *
 * <p>A blob of unknown size (the layers of a schema 1 manifest read from a registry) is first spooled to
 * a temporary file, since an upload must state its length; everything else streams.
 *
 * <pre>{@code
 * Repository from = Repository.parse("registry.example/team/app");
 * Repository to = Repository.parse("registry.example/release/app");
 * try (ImageSource source = RegistryImageSource.of(client, from)) {
 *     ImageCopier.copy(source, Tag.parse("1.2"), RegistryImageDestination.of(client, to).mountingFrom(from),
 *             CopyOptions.defaults().withPlatforms(PlatformMatcher.all()));
 * }
 * }</pre>
 */
public final class RegistryImageDestination implements ImageDestination {
    private final RegistryClient client;
    private final Repository repository;
    private final Optional<Repository> mountFrom;
    private final Consumer<BlobPush> pushed;

    private RegistryImageDestination(RegistryClient client, Repository repository, Optional<Repository> mountFrom,
            Consumer<BlobPush> pushed) {
        this.client = Objects.requireNonNull(client, "client");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.mountFrom = mountFrom;
        this.pushed = pushed;
    }

    public static RegistryImageDestination of(RegistryClient client, Repository repository) {
        return new RegistryImageDestination(client, repository, Optional.empty(), push -> { });
    }

    /**
     * This destination, mounting blobs from {@code source} when it is another repository of the same
     * registry (nothing crosses the wire); a registry that refuses the mount gets an upload instead.
     */
    public RegistryImageDestination mountingFrom(Repository source) {
        return new RegistryImageDestination(client, repository, Optional.of(source), pushed);
    }

    /** This destination, telling {@code listener} how each blob got there (existed, mounted, uploaded). */
    public RegistryImageDestination onPush(Consumer<BlobPush> listener) {
        return new RegistryImageDestination(client, repository, mountFrom, Objects.requireNonNull(listener));
    }

    public Repository repository() {
        return repository;
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return client.blobExists(repository, digest);
    }

    @Override
    public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
        if (blob.size() >= 0) {
            push(BlobSource.of(blob.digest(), blob.size(), content::open));
            return;
        }
        Path spool = Files.createTempFile("berth-blob-", ".tmp");
        try {
            try (InputStream in = content.open(); OutputStream out = Files.newOutputStream(spool)) {
                in.transferTo(out);
            }
            push(BlobSource.of(spool, blob.digest()));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private void push(BlobSource source) {
        BlobPush push = mountFrom.isPresent()
                ? client.pushBlob(repository, source, mountFrom.get())
                : client.pushBlob(repository, source);
        pushed.accept(push);
    }

    @Override
    public void putManifest(Manifest manifest) {
        client.pushManifest(new Reference.ByDigest(repository, manifest.digest()), manifest.content(), manifest.mediaType());
    }

    @Override
    public void putRoot(Manifest manifest, Optional<Tag> tag) {
        Reference ref = tag.<Reference>map(t -> new Reference.ByTag(repository, t))
                .orElseGet(() -> new Reference.ByDigest(repository, manifest.digest()));
        client.pushManifest(ref, manifest.content(), manifest.mediaType());
    }
}
