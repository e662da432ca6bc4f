package dev.berth.client.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A docker-archive, the {@code docker save} format, read as an image source. Its {@code manifest.json}
 * lists images as {@code {Config, RepoTags, Layers}}, each path a member of the tar: the legacy layout
 * ({@code <id>/layer.tar}, often a symbolic link to {@code <diff_id>.tar}) and the OCI-style layout
 * docker 25 writes ({@code blobs/sha256/<hex>}) read the same way.
 *
 * <p>The layers in the archive are uncompressed tars whose digests are the config's
 * {@code rootfs.diff_ids}. Registries want compressed blobs, so the first {@link #manifest} call for an
 * image gzips its layers into temporary files (deleted on {@link #close()}), checks every diff_id on the
 * way, and builds a Docker schema 2 manifest over the compressed blobs; the config keeps its bytes and
 * digest. A layer that is already gzip-compressed in the archive is used as it is.
 *
 * <pre>{@code
 * try (DockerArchive archive = DockerArchive.open(Path.of("busybox.tar"))) {
 *     Manifest manifest = archive.manifest(0);
 *     ImageCopier.copy(archive, manifest.digest(), registryDestination, CopyOptions.defaults().withTag(Tag.parse("1.36")));
 * }
 * }</pre>
 */
public final class DockerArchive implements ImageSource {
    private static final String LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** One entry of {@code manifest.json}: the paths of its config and layers inside the archive. */
    public record Image(List<String> repoTags, String config, List<String> layers) {
        public Image {
            repoTags = List.copyOf(repoTags);
            layers = List.copyOf(layers);
        }
    }

    private final Path file;
    private final TarIndex tar;
    private final List<Image> images;
    private final Map<Integer, Manifest> manifests = new HashMap<>();
    private final Map<Digest, String> members = new HashMap<>();
    private final Map<Digest, Path> compressed = new HashMap<>();
    private Path scratch;

    private DockerArchive(Path file, TarIndex tar, List<Image> images) {
        this.file = file;
        this.tar = tar;
        this.images = images;
    }

    public static DockerArchive open(Path file) throws IOException {
        TarIndex tar = TarIndex.open(file);
        try {
            byte[] json;
            try (BlobStream manifest = tar.open("manifest.json")) {
                json = ImageJson.readLimited(manifest.content(), Manifests.MAX_BYTES, "manifest.json");
            } catch (java.nio.file.NoSuchFileException e) {
                throw new InvalidImageException(file + " is not a docker-archive: it has no manifest.json");
            }
            JsonNode root = ImageJson.read(json, file + ": manifest.json");
            if (!root.isArray() || root.isEmpty()) {
                throw new InvalidImageException(file + ": manifest.json must be a non-empty array");
            }
            List<Image> images = new ArrayList<>();
            for (JsonNode entry : root) {
                String what = file + ": manifest.json entry " + images.size();
                if (!entry.isObject()) {
                    throw new InvalidImageException(what + " must be an object");
                }
                images.add(new Image(ImageJson.texts(entry, "RepoTags", what), ImageJson.text(entry, "Config", what),
                        ImageJson.texts(entry, "Layers", what)));
            }
            return new DockerArchive(file, tar, List.copyOf(images));
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    /**
     * A docker-archive to write, as {@code docker save} does: uncompressed layers named by their
     * diff_id, the config by its digest, and {@code manifest.json}. A root put under a tag is listed
     * with {@code RepoTags} {@code repository:tag} when {@code repository} is given (for example
     * {@code docker.io/library/busybox}). {@code file} is replaced on commit.
     */
    public static ImageDestination create(Path file, Optional<String> repository) throws IOException {
        return new DockerArchiveWriter(file, repository);
    }

    public List<Image> images() {
        return images;
    }

    /**
     * The image a tag or digest names: a tag selects the image with a {@code RepoTags} entry ending in
     * {@code :tag} (or the only image when it has no {@code RepoTags}), a digest the image whose built
     * manifest has it.
     */
    @Override
    public synchronized Manifest manifest(Identifier identifier) throws IOException {
        switch (identifier) {
            case Tag tag -> {
                List<Integer> matches = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    if (images.get(i).repoTags().stream().anyMatch(t -> t.endsWith(":" + tag.value()))) {
                        matches.add(i);
                    }
                }
                if (matches.isEmpty() && images.size() == 1 && images.get(0).repoTags().isEmpty()) {
                    matches.add(0);
                }
                if (matches.size() > 1) {
                    throw new InvalidImageException(file + ": several images are tagged " + tag + "; choose one by index");
                }
                if (matches.isEmpty()) {
                    throw new ImageNotFoundException(file + " has no image tagged " + tag);
                }
                return manifest(matches.get(0));
            }
            case Digest digest -> {
                for (int i = 0; i < images.size(); i++) {
                    if (manifest(i).digest().equals(digest)) {
                        return manifest(i);
                    }
                }
                throw new ImageNotFoundException(file + " has no image with manifest " + digest);
            }
        }
    }

    /** The Docker schema 2 manifest of the {@code index}-th image of {@code manifest.json}. */
    public synchronized Manifest manifest(int index) throws IOException {
        Manifest built = manifests.get(index);
        if (built == null) {
            built = build(images.get(index), file + ": image " + index);
            manifests.put(index, built);
        }
        return built;
    }

    @Override
    public BlobStream blob(Digest digest) throws IOException {
        Path path;
        String member;
        synchronized (this) {
            path = compressed.get(digest);
            member = members.get(digest);
        }
        if (path != null) {
            return new BlobStream(Files.newInputStream(path), Files.size(path));
        }
        if (member != null) {
            return tar.open(member);
        }
        throw new ImageNotFoundException(file + " has no blob " + digest + " (blobs are known once the image's manifest is read)");
    }

    @Override
    public synchronized void close() throws IOException {
        tar.close();
        if (scratch != null) {
            try (Stream<Path> walk = Files.walk(scratch)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private Manifest build(Image image, String what) throws IOException {
        byte[] config;
        try (BlobStream stream = tar.open(image.config())) {
            config = ImageJson.readLimited(stream.content(), Manifests.MAX_BYTES * 4, what + " config");
        }
        List<Digest> diffIds = ImageJson.diffIds(config);
        if (diffIds.size() != image.layers().size()) {
            throw new InvalidImageException(what + ": " + image.layers().size() + " layers but " + diffIds.size() + " diff_ids in its config");
        }
        Digest configDigest = Digest.sha256(config);
        members.put(configDigest, image.config());
        ObjectNode manifest = ImageJson.object().put("schemaVersion", 2).put("mediaType", MediaTypes.DOCKER_MANIFEST);
        manifest.putObject("config").put("mediaType", MediaTypes.DOCKER_CONFIG).put("size", config.length)
                .put("digest", configDigest.toString());
        var layers = manifest.putArray("layers");
        for (int i = 0; i < diffIds.size(); i++) {
            LayerCompressor.Layer layer;
            try (BlobStream stream = tar.open(image.layers().get(i))) {
                layer = LayerCompressor.compress(stream.content(), scratch());
            }
            if (!layer.diffId().equals(diffIds.get(i))) {
                if (layer.file() != null) {
                    Files.deleteIfExists(layer.file());
                }
                throw new InvalidImageException(what + ": layer " + image.layers().get(i) + " is " + layer.diffId()
                        + " uncompressed, but the config's diff_id is " + diffIds.get(i));
            }
            if (layer.file() != null) {
                compressed.put(layer.compressed(), layer.file());
            } else {
                members.put(layer.compressed(), image.layers().get(i));
            }
            layers.addObject().put("mediaType", LAYER_GZIP).put("size", layer.size()).put("digest", layer.compressed().toString());
        }
        return ImageJson.manifest(ImageJson.write(manifest), MediaTypes.DOCKER_MANIFEST, what);
    }

    private Path scratch() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("berth-docker-archive-");
        }
        return scratch;
    }
}
