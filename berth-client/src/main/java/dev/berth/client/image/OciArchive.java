package dev.berth.client.image;

import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An oci-archive: an {@link OciLayout} packed in a tar file (gzip-compressed archives are read too), what
 * skopeo calls {@code oci-archive:FILE:TAG}. Reading indexes the tar once and then reads members in
 * place; writing fills a layout in a temporary directory next to the file and packs it on
 * {@link ImageDestination#commit()}.
 *
 * <pre>{@code
 * try (OciArchive archive = OciArchive.open(Path.of("debian.oci.tar"));
 *      ImageDestination out = OciArchive.create(Path.of("copy.oci.tar"))) {
 *     ImageCopier.copy(archive, Tag.parse("bookworm"), out, CopyOptions.defaults());
 *     out.commit();
 * }
 * }</pre>
 */
public final class OciArchive implements ImageSource {
    private final OciLayoutReader reader;

    private OciArchive(OciLayoutReader reader) {
        this.reader = reader;
    }

    /** An existing archive, to read. */
    public static OciArchive open(Path file) throws IOException {
        TarIndex tar = TarIndex.open(file);
        try {
            return new OciArchive(new OciLayoutReader(new TarFiles(tar), file.toString()));
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    /**
     * An archive to write: {@code file} is replaced on {@link ImageDestination#commit()}, and left
     * untouched if the destination is closed without a commit.
     */
    public static ImageDestination create(Path file) throws IOException {
        return new OciArchiveWriter(file);
    }

    public ImageIndex index() throws IOException {
        return reader.index();
    }

    /** The {@code index.json} entry named {@code refName}, as {@link OciLayout#find(String)}. */
    public Optional<Descriptor> find(String refName) throws IOException {
        return reader.find(refName);
    }

    @Override
    public Manifest manifest(Identifier identifier) throws IOException {
        return reader.manifest(identifier);
    }

    @Override
    public BlobStream blob(Digest digest) throws IOException {
        return reader.blob(digest);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private record TarFiles(TarIndex tar) implements OciLayoutReader.Files {
        @Override
        public BlobStream open(String path) throws IOException {
            return tar.open(path);
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }
}
