package dev.berth.client.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.DockerManifest;
import dev.berth.spec.manifest.DockerManifestList;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.ImageManifest;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Schema1Manifest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a docker-archive as {@code docker save} does. Layer blobs arrive compressed; each is
 * decompressed into a temporary file as it streams (the compressed digest verified, the uncompressed
 * digest computed), then appended to the tar as {@code <diff_id hex>.tar}. A root manifest is checked
 * against its config: every layer's uncompressed digest must be the config's diff_id at its position.
 * {@code manifest.json} is written on commit, and the tar renamed onto the target.
 */
final class DockerArchiveWriter implements ImageDestination {
    private static final int MAX_CONFIG = 16 * 1024 * 1024;

    private final Path file;
    private final Optional<String> repository;
    private final Path temporary;
    private final Path scratch;
    private final TarWriter tar;
    private final Map<Digest, byte[]> configs = new ConcurrentHashMap<>();
    private final Map<Digest, Digest> diffIds = new ConcurrentHashMap<>();
    private final Set<String> members = new HashSet<>();
    private final ArrayNode manifestJson = ImageJson.array();
    private boolean committed;

    DockerArchiveWriter(Path file, Optional<String> repository) throws IOException {
        this.file = file.toAbsolutePath();
        this.repository = repository;
        Files.createDirectories(this.file.getParent());
        this.temporary = Files.createTempFile(this.file.getParent(), ".berth-", ".tar.tmp");
        this.scratch = Files.createTempDirectory(this.file.getParent(), ".berth-docker-archive-");
        this.tar = new TarWriter(new BufferedOutputStream(Files.newOutputStream(temporary), 64 * 1024));
    }

    @Override
    public boolean supportsIndexes() {
        return false;
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return configs.containsKey(digest) || diffIds.containsKey(digest);
    }

    @Override
    public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
        try (InputStream in = content.open()) {
            VerifyingInputStream verified = new VerifyingInputStream(in, blob.digest(), blob.size());
            if (blob.mediaType().equals(MediaTypes.DOCKER_CONFIG) || blob.mediaType().equals(MediaTypes.OCI_CONFIG)) {
                byte[] config = ImageJson.readLimited(verified, MAX_CONFIG, "image config " + blob.digest());
                add(blob.digest().hex() + ".json", config.length, new ByteArrayInputStream(config));
                configs.put(blob.digest(), config);
                return;
            }
            LayerCompressor.Layer layer = LayerCompressor.decompress(verified, scratch);
            try (InputStream file = Files.newInputStream(layer.file())) {
                add(layer.diffId().hex() + ".tar", layer.size(), file);
            } finally {
                Files.deleteIfExists(layer.file());
            }
            diffIds.put(blob.digest(), layer.diffId());
        }
    }

    @Override
    public void putManifest(Manifest manifest) throws IOException {
        putRoot(manifest, Optional.empty());
    }

    @Override
    public void putRoot(Manifest manifest, Optional<Tag> tag) throws IOException {
        Descriptor config;
        List<Descriptor> layers;
        switch (manifest) {
            case ImageManifest m -> {
                config = m.config();
                layers = m.layers();
            }
            case DockerManifest m -> {
                config = m.config();
                layers = m.layers();
            }
            case Schema1Manifest m -> throw new InvalidImageException("a docker-archive cannot hold a Docker schema 1 manifest");
            case ImageIndex i -> throw new InvalidImageException("a docker-archive holds single-platform images, not an index; choose a platform");
            case DockerManifestList l -> throw new InvalidImageException("a docker-archive holds single-platform images, not a manifest list; choose a platform");
        }
        byte[] configJson = configs.get(config.digest());
        if (configJson == null) {
            throw new InvalidImageException("image config " + config.digest() + " was not written before its manifest");
        }
        List<Digest> expected = ImageJson.diffIds(configJson);
        if (expected.size() != layers.size()) {
            throw new InvalidImageException("manifest " + manifest.digest() + " has " + layers.size()
                    + " layers, its config " + expected.size() + " diff_ids");
        }
        ObjectNode entry = ImageJson.object().put("Config", config.digest().hex() + ".json");
        ArrayNode repoTags = entry.putArray("RepoTags");
        if (repository.isPresent() && tag.isPresent()) {
            repoTags.add(repository.get() + ":" + tag.get().value());
        }
        ArrayNode layerPaths = entry.putArray("Layers");
        for (int i = 0; i < layers.size(); i++) {
            Digest diffId = diffIds.get(layers.get(i).digest());
            if (diffId == null) {
                throw new InvalidImageException("layer " + layers.get(i).digest() + " was not written before its manifest");
            }
            if (!diffId.equals(expected.get(i))) {
                throw new InvalidImageException("layer " + layers.get(i).digest() + " uncompresses to " + diffId
                        + ", but the config's diff_id is " + expected.get(i));
            }
            layerPaths.add(diffId.hex() + ".tar");
        }
        synchronized (this) {
            manifestJson.add(entry);
        }
    }

    @Override
    public synchronized void commit() throws IOException {
        byte[] json = ImageJson.write(manifestJson);
        add("manifest.json", json.length, new ByteArrayInputStream(json));
        tar.close();
        OciLayout.readableByAll(temporary);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (!committed) {
                tar.close();
                Files.deleteIfExists(temporary);
            }
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path path : files.toList()) {
                    Files.deleteIfExists(path);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    private synchronized void add(String name, long size, InputStream content) throws IOException {
        if (members.add(name)) {
            tar.write(TarEntry.file(name, size, 0644), content);
        }
    }
}
