package dev.berth.client.image;

import dev.berth.client.RegistryClient;
import dev.berth.client.RegistryClientException;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.Identifier;
import dev.berth.spec.Reference;
import dev.berth.spec.Repository;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import java.io.IOException;
import java.util.Objects;

/**
 * One repository of a registry, read through a {@link RegistryClient}: manifests are fetched (every
 * type negotiated, verified against their digest), blobs streamed.
 *
 * <p>A blob is fetched by {@link RegistryClient#fetchBlob(Repository, Digest, java.io.OutputStream)} on a
 * virtual thread that the first read of the returned stream starts, writing into a bounded pipe: never
 * more than about 1 MiB of a blob is in memory, the client's digest check and {@code Range} resumption
 * apply, and a blob whose stream is closed unread (because the destination mounted it) is never
 * downloaded. A registry failure surfaces from the read as an {@link IOException} whose cause is the
 * {@link RegistryClientException}; a missing manifest or blob is an {@link ImageNotFoundException} with the
 * registry's exception as its cause, so its error code ({@code MANIFEST_UNKNOWN}) stays at hand.
 *
 * <pre>{@code
 * RegistryClient client = RegistryClient.builder().credentials(CredentialStore.dockerConfig()).build();
 * Reference ref = Reference.parse("ghcr.io/acme/app:1.2");
 * try (ImageSource source = RegistryImageSource.of(client, ref.repository());
 *      OciLayout layout = OciLayout.create(Path.of("app"))) {
 *     ImageCopier.copy(source, ref.identifier(), layout, CopyOptions.defaults());
 * }
 * }</pre>
 */
public final class RegistryImageSource implements ImageSource {
    private final RegistryClient client;
    private final Repository repository;

    private RegistryImageSource(RegistryClient client, Repository repository) {
        this.client = Objects.requireNonNull(client, "client");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    public static RegistryImageSource of(RegistryClient client, Repository repository) {
        return new RegistryImageSource(client, repository);
    }

    public Repository repository() {
        return repository;
    }

    @Override
    public Manifest manifest(Identifier identifier) throws IOException {
        Reference ref = switch (identifier) {
            case Tag tag -> new Reference.ByTag(repository, tag);
            case Digest digest -> new Reference.ByDigest(repository, digest);
        };
        try {
            return client.fetchManifest(ref).manifest();
        } catch (RegistryClientException e) {
            if (isNotFound(e)) {
                throw missing(e);
            }
            throw e;
        }
    }

    /** A stream that starts the download when first read; its size is unknown ({@code -1}) until then. */
    @Override
    public BlobStream blob(Digest digest) {
        BlobPipe pipe = new BlobPipe(repository + "@" + digest, out -> {
            try {
                client.fetchBlob(repository, digest, out);
            } catch (RegistryClientException e) {
                throw isNotFound(e) ? missing(e) : e;
            }
        });
        return new BlobStream(pipe, -1);
    }

    private static boolean isNotFound(RegistryClientException e) {
        return e.status() == 404 || e.is(ErrorCode.MANIFEST_UNKNOWN) || e.is(ErrorCode.BLOB_UNKNOWN)
                || e.is(ErrorCode.NAME_UNKNOWN);
    }

    private static ImageNotFoundException missing(RegistryClientException e) {
        ImageNotFoundException missing = new ImageNotFoundException(e.getMessage());
        missing.initCause(e);
        return missing;
    }
}
