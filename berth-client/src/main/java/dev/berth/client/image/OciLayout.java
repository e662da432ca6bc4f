package dev.berth.client.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Schema1Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Optional;

/**
 * An OCI image layout in a directory
 * (<a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">image-layout.md</a>),
 * to read from and to write into; what skopeo calls {@code oci:DIR:TAG}.
 *
 * <pre>
 * DIR/
 * ├── oci-layout            {"imageLayoutVersion":"1.0.0"}
 * ├── index.json            roots, a tag being the org.opencontainers.image.ref.name annotation
 * └── blobs/sha256/&lt;hex&gt;   manifests, configs and layers, named by their digest
 * </pre>
 *
 * <p>Every blob is written to a temporary file in {@code DIR}, verified against its digest and size as it
 * streams, flushed to disk and renamed into place, so a blob file is always complete and correct.
 * {@code index.json} is replaced the same way on each {@link #putRoot}, keeping its other entries and
 * fields. One process should write a layout at a time.
 *
 * <pre>{@code
 * try (OciLayout layout = OciLayout.create(Path.of("out"))) {
 *     ImageCopier.copy(registrySource, Tag.parse("1.36"), layout, CopyOptions.defaults());
 * }
 * }</pre>
 */
public final class OciLayout implements ImageSource, ImageDestination {
    private static final byte[] LAYOUT_MARKER = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY_INDEX = "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);

    private final Path root;
    private final OciLayoutReader reader;

    private OciLayout(Path root) throws IOException {
        this.root = root;
        this.reader = new OciLayoutReader(new DirectoryFiles(root), root.toString());
    }

    /** An existing layout. */
    public static OciLayout open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "no such OCI layout directory");
        }
        return new OciLayout(directory);
    }

    /** A layout to write into: created (with its parents) when absent, opened when it exists. */
    public static OciLayout create(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (!Files.exists(directory.resolve(OciLayoutReader.LAYOUT_FILE))) {
            writeAtomically(directory, OciLayoutReader.LAYOUT_FILE, LAYOUT_MARKER);
        }
        if (!Files.exists(directory.resolve(OciLayoutReader.INDEX_FILE))) {
            writeAtomically(directory, OciLayoutReader.INDEX_FILE, EMPTY_INDEX);
        }
        return new OciLayout(directory);
    }

    public Path directory() {
        return root;
    }

    /** The layout's {@code index.json}, read afresh. */
    public ImageIndex index() throws IOException {
        return reader.index();
    }

    /**
     * The {@code index.json} entry named {@code refName} by its {@code org.opencontainers.image.ref.name}
     * annotation. Unlike a {@link Tag} this may be any string, such as the full references some tools write.
     */
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
    public boolean hasBlob(Digest digest) {
        return Files.isRegularFile(root.resolve(OciLayoutReader.blobPath(digest)));
    }

    @Override
    public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
        Path target = root.resolve(OciLayoutReader.blobPath(blob.digest()));
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(root, ".berth-blob-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    InputStream in = new VerifyingInputStream(content.open(), blob.digest(), blob.size())) {
                OutputStream out = Channels.newOutputStream(channel);
                in.transferTo(out);
                channel.force(true);
            }
            readableByAll(temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public void putManifest(Manifest manifest) throws IOException {
        if (manifest instanceof Schema1Manifest) {
            throw new InvalidImageException("an OCI layout cannot hold a Docker schema 1 manifest");
        }
        Digest digest = manifest.digest();
        if (!hasBlob(digest)) {
            byte[] content = manifest.content();
            putBlob(new BlobInfo(digest, content.length, manifest.mediaType()), () -> new ByteArrayInputStream(content));
        }
    }

    /** Stores the manifest and lists it in {@code index.json}, replacing any entry with the same tag. */
    @Override
    public synchronized void putRoot(Manifest manifest, Optional<Tag> tag) throws IOException {
        putManifest(manifest);
        ObjectNode index = ImageJson.readObject(Files.readAllBytes(root.resolve(OciLayoutReader.INDEX_FILE)), "index.json");
        JsonNode existing = index.get("manifests");
        ArrayNode manifests = existing instanceof ArrayNode array ? array : index.putArray("manifests");
        for (Iterator<JsonNode> it = manifests.iterator(); it.hasNext(); ) {
            JsonNode entry = it.next();
            JsonNode name = entry.path("annotations").get(OciLayoutReader.REF_NAME);
            boolean sameTag = tag.isPresent() && name != null && tag.get().value().equals(name.asText());
            boolean sameUntagged = tag.isEmpty() && name == null
                    && manifest.digest().toString().equals(entry.path("digest").asText());
            if (sameTag || sameUntagged) {
                it.remove();
            }
        }
        ObjectNode entry = manifests.addObject()
                .put("mediaType", manifest.mediaType())
                .put("digest", manifest.digest().toString())
                .put("size", manifest.content().length);
        tag.ifPresent(t -> entry.putObject("annotations").put(OciLayoutReader.REF_NAME, t.value()));
        writeAtomically(root, OciLayoutReader.INDEX_FILE, ImageJson.write(index));
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private static void writeAtomically(Path directory, String name, byte[] content) throws IOException {
        Path temporary = Files.createTempFile(directory, ".berth-" + name + "-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                Channels.newOutputStream(channel).write(content);
                channel.force(true);
            }
            readableByAll(temporary);
            Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Temporary files are created private; the layout's files are {@code rw-r--r--}, as skopeo writes them. */
    static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its defaults
        }
    }

    /** The layout's files in a directory. */
    private record DirectoryFiles(Path root) implements OciLayoutReader.Files {
        @Override
        public BlobStream open(String path) throws IOException {
            Path file = root.resolve(path);
            InputStream in = Files.newInputStream(file);
            return new BlobStream(in, Files.size(file));
        }

        @Override
        public void close() {
        }
    }
}
