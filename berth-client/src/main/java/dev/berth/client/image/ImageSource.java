package dev.berth.client.image;

import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.manifest.Manifest;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where an image is read from: one repository of a registry, an OCI layout, an oci-archive, a
 * docker-archive. Implementations are safe for concurrent {@link #blob} calls: {@link ImageCopier}
 * opens several blobs at once.
 *
 * <pre>{@code
 * try (ImageSource source = OciLayout.open(Path.of("busybox"));
 *      ImageDestination destination = OciArchive.create(Path.of("busybox.tar"))) {
 *     ImageCopier.copy(source, Tag.parse("latest"), destination, CopyOptions.defaults());
 *     destination.commit();
 * }
 * }</pre>
 */
public interface ImageSource extends Closeable {

    /**
     * The manifest a tag or digest names, parsed and validated, its {@link Manifest#content() content}
     * the exact bytes the source holds.
     *
     * @throws ImageNotFoundException when the source has nothing under {@code identifier}
     * @throws InvalidImageException when the bytes are not a valid manifest or do not match the digest asked for
     */
    Manifest manifest(Identifier identifier) throws IOException;

    /**
     * Opens a blob. The content is not verified here; callers hash it as they read.
     *
     * @throws ImageNotFoundException when the source has no such blob
     */
    BlobStream blob(Digest digest) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
