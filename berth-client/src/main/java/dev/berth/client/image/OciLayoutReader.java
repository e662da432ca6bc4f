package dev.berth.client.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * Reads an OCI image layout wherever its files are (a directory or a tar): the {@code oci-layout}
 * marker, {@code index.json} and {@code blobs/<alg>/<hex>}. A tag is looked up as the
 * {@value #REF_NAME} annotation of an {@code index.json} entry, as skopeo's {@code oci:DIR:TAG} does.
 */
final class OciLayoutReader implements ImageSource {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";

    /** Where the layout's files are. */
    interface Files extends AutoCloseable {
        /** @throws NoSuchFileException when the layout has no such file */
        BlobStream open(String path) throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Files files;
    private final String where;

    OciLayoutReader(Files files, String where) throws IOException {
        this.files = files;
        this.where = where;
        byte[] marker = small(LAYOUT_FILE, 64 * 1024);
        JsonNode version = ImageJson.readObject(marker, where + "/" + LAYOUT_FILE).get("imageLayoutVersion");
        if (version == null || !version.isTextual() || !version.textValue().startsWith("1.")) {
            throw new InvalidImageException(where + ": unsupported imageLayoutVersion " + version);
        }
    }

    ImageIndex index() throws IOException {
        byte[] content = small(INDEX_FILE, Manifests.MAX_BYTES);
        if (ImageJson.manifest(content, MediaTypes.OCI_INDEX, where + "/" + INDEX_FILE) instanceof ImageIndex index) {
            return index;
        }
        throw new InvalidImageException(where + "/" + INDEX_FILE + " is not an image index");
    }

    /** The {@code index.json} entry whose {@value #REF_NAME} is {@code name}; several is an error. */
    Optional<Descriptor> find(String name) throws IOException {
        List<Descriptor> matches = index().manifests().stream()
                .filter(d -> name.equals(d.annotations().get(REF_NAME)))
                .toList();
        if (matches.stream().map(Descriptor::digest).distinct().count() > 1) {
            throw new InvalidImageException(where + ": several index.json entries are named " + TarEntry.quote(name));
        }
        return matches.stream().findFirst();
    }

    @Override
    public Manifest manifest(Identifier identifier) throws IOException {
        Descriptor descriptor = switch (identifier) {
            case Tag tag -> find(tag.value()).orElseThrow(
                    () -> new ImageNotFoundException(where + " has no image named " + TarEntry.quote(tag.value())));
            case Digest digest -> index().manifests().stream().filter(d -> d.digest().equals(digest)).findFirst()
                    .orElse(null);
        };
        Digest digest = descriptor != null ? descriptor.digest() : (Digest) identifier;
        byte[] content;
        try (BlobStream blob = blob(digest)) {
            content = ImageJson.readLimited(blob.content(), Manifests.MAX_BYTES, "manifest " + digest);
        }
        if (!digest.recompute(content).equals(digest)) {
            throw new InvalidImageException(where + ": manifest blob " + digest + " does not match its digest");
        }
        return ImageJson.manifest(content, descriptor == null ? null : descriptor.mediaType(), "manifest " + digest);
    }

    @Override
    public BlobStream blob(Digest digest) throws IOException {
        try {
            return files.open(blobPath(digest));
        } catch (NoSuchFileException e) {
            throw new ImageNotFoundException(where + " has no blob " + digest);
        }
    }

    @Override
    public void close() throws IOException {
        files.close();
    }

    static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    private byte[] small(String path, int limit) throws IOException {
        try (BlobStream file = files.open(path)) {
            return ImageJson.readLimited(file.content(), limit, where + "/" + path);
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(where + " is not an OCI image layout: it has no " + path);
        }
    }
}
