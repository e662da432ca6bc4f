package dev.berth.client.image;

import dev.berth.spec.Digest;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Writes an oci-archive: a layout in a temporary directory, packed into the tar file on commit. */
final class OciArchiveWriter implements ImageDestination {
    private final Path file;
    private final Path staging;
    private final OciLayout layout;

    OciArchiveWriter(Path file) throws IOException {
        this.file = file.toAbsolutePath();
        Files.createDirectories(this.file.getParent());
        this.staging = Files.createTempDirectory(this.file.getParent(), ".berth-oci-archive-");
        this.layout = OciLayout.create(staging);
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return layout.hasBlob(digest);
    }

    @Override
    public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
        layout.putBlob(blob, content);
    }

    @Override
    public void putManifest(Manifest manifest) throws IOException {
        layout.putManifest(manifest);
    }

    @Override
    public void putRoot(Manifest manifest, Optional<Tag> tag) throws IOException {
        layout.putRoot(manifest, tag);
    }

    /** Packs the layout: {@code oci-layout}, {@code index.json}, then the blobs in name order. */
    @Override
    public void commit() throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), ".berth-", ".tar.tmp");
        try {
            try (TarWriter tar = new TarWriter(new BufferedOutputStream(Files.newOutputStream(temporary), 64 * 1024))) {
                add(tar, OciLayoutReader.LAYOUT_FILE);
                add(tar, OciLayoutReader.INDEX_FILE);
                tar.write(TarEntry.directory("blobs", 0755));
                for (Path algorithm : sorted(staging.resolve("blobs"))) {
                    tar.write(TarEntry.directory("blobs/" + algorithm.getFileName(), 0755));
                    for (Path blob : sorted(algorithm)) {
                        add(tar, "blobs/" + algorithm.getFileName() + "/" + blob.getFileName());
                    }
                }
            }
            OciLayout.readableByAll(temporary);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public void close() throws IOException {
        layout.close();
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void add(TarWriter tar, String name) throws IOException {
        Path path = staging.resolve(name);
        try (InputStream in = Files.newInputStream(path)) {
            tar.write(TarEntry.file(name, Files.size(path), 0644), in);
        }
    }

    private static List<Path> sorted(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.sorted().toList();
        }
    }
}
