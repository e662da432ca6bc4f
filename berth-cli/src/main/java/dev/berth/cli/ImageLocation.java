package dev.berth.cli;

import dev.berth.client.BlobPush;
import dev.berth.client.RegistryClient;
import dev.berth.client.image.BlobInfo;
import dev.berth.client.image.BlobOpener;
import dev.berth.client.image.DockerArchive;
import dev.berth.client.image.ImageDestination;
import dev.berth.client.image.ImageNotFoundException;
import dev.berth.client.image.ImageSource;
import dev.berth.client.image.InvalidImageException;
import dev.berth.client.image.OciArchive;
import dev.berth.client.image.OciLayout;
import dev.berth.client.image.RegistryImageDestination;
import dev.berth.client.image.RegistryImageSource;
import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.Reference;
import dev.berth.spec.Repository;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Where an image is, as {@code pull}, {@code push} and {@code copy} name it, in skopeo's transport
 * syntax: a registry reference ({@code docker://} optional), {@code oci:DIR[:NAME]},
 * {@code oci-archive:FILE[:NAME]} or {@code docker-archive:FILE[:REF]}. Each location opens as a source
 * (resolving which image it means) or as a destination (deciding the tag the image gets).
 */
sealed interface ImageLocation {

    /** A source to read from: which image, and the tag it has there, if any. */
    record Source(ImageSource image, Identifier identifier, Optional<Tag> tag, Optional<Repository> repository)
            implements Closeable {
        @Override
        public void close() throws IOException {
            image.close();
        }
    }

    /** A destination to write into, and the tag the copied image gets there (empty: the source's). */
    record Destination(ImageDestination image, Optional<Tag> tag) {
    }

    /** A registry reference, or a location with a transport prefix. */
    static ImageLocation parse(String text) {
        int colon = text.indexOf(':');
        String transport = colon < 0 ? "" : text.substring(0, colon);
        String rest = colon < 0 ? text : text.substring(colon + 1);
        return switch (transport) {
            case "docker" -> {
                if (!rest.startsWith("//")) {
                    throw new IllegalArgumentException("docker transport must be docker://REFERENCE: " + text);
                }
                yield new RegistryImage(Reference.parse(rest.substring(2)));
            }
            case "oci" -> new Layout(path(rest, text), name(rest));
            case "oci-archive" -> new OciArchiveFile(path(rest, text), name(rest));
            case "docker-archive" -> new DockerArchiveFile(path(rest, text), name(rest));
            default -> new RegistryImage(Reference.parse(text));
        };
    }

    /** As {@link #parse}, but a location without a transport is a local path whose format is detected. */
    static ImageLocation parseLocal(String text) throws IOException {
        if (text.startsWith("oci:") || text.startsWith("oci-archive:") || text.startsWith("docker-archive:")
                || text.startsWith("docker://")) {
            return parse(text);
        }
        Path path = Path.of(text);
        if (Files.isDirectory(path)) {
            return new Layout(path, Optional.empty());
        }
        if (!Files.isRegularFile(path)) {
            throw Failures.usage(text + ": no such file or directory (or give a transport: oci:, oci-archive:, docker-archive:)");
        }
        try (DockerArchive probe = DockerArchive.open(path)) {
            return new DockerArchiveFile(path, Optional.empty());
        } catch (InvalidImageException notDocker) {
            return new OciArchiveFile(path, Optional.empty());
        }
    }

    private static Path path(String rest, String text) {
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("no path in " + text);
        }
        return Path.of(path);
    }

    private static Optional<String> name(String rest) {
        int colon = rest.indexOf(':');
        return colon < 0 || colon == rest.length() - 1 ? Optional.empty() : Optional.of(rest.substring(colon + 1));
    }

    Source openSource(RegistryClient client) throws IOException;

    /**
     * @param from the source being copied, for cross-repository mounts and default names
     * @param pushed told about each blob a registry destination receives
     */
    Destination openDestination(RegistryClient client, Source from, Consumer<BlobPush> pushed) throws IOException;

    /** How the user would write this location. */
    String display();

    /** A repository of a registry. */
    record RegistryImage(Reference ref) implements ImageLocation {
        @Override
        public Source openSource(RegistryClient client) {
            return new Source(RegistryImageSource.of(client, ref.repository()), ref.identifier(), tag(ref),
                    Optional.of(ref.repository()));
        }

        @Override
        public Destination openDestination(RegistryClient client, Source from, Consumer<BlobPush> pushed) {
            RegistryImageDestination destination = RegistryImageDestination.of(client, ref.repository()).onPush(pushed);
            if (from.repository().isPresent()) {
                destination = destination.mountingFrom(from.repository().get());
            }
            return switch (ref) {
                case Reference.ByTag byTag -> new Destination(destination, Optional.of(byTag.tag()));
                case Reference.ByDigest byDigest -> new Destination(new ByDigestOnly(destination, byDigest.digest()), Optional.empty());
            };
        }

        @Override
        public String display() {
            return ref.toString();
        }
    }

    /** An OCI layout directory. */
    record Layout(Path directory, Optional<String> name) implements ImageLocation {
        @Override
        public Source openSource(RegistryClient client) throws IOException {
            OciLayout layout = OciLayout.open(directory);
            return openNamed(layout, layout::index, layout::find, name, "oci:" + directory);
        }

        @Override
        public Destination openDestination(RegistryClient client, Source from, Consumer<BlobPush> pushed) throws IOException {
            return new Destination(OciLayout.create(directory), name.map(Tag::parse));
        }

        @Override
        public String display() {
            return "oci:" + directory + name.map(n -> ":" + n).orElse("");
        }
    }

    /** An OCI layout in a tar file. */
    record OciArchiveFile(Path file, Optional<String> name) implements ImageLocation {
        @Override
        public Source openSource(RegistryClient client) throws IOException {
            OciArchive archive = OciArchive.open(file);
            return openNamed(archive, archive::index, archive::find, name, "oci-archive:" + file);
        }

        @Override
        public Destination openDestination(RegistryClient client, Source from, Consumer<BlobPush> pushed) throws IOException {
            return new Destination(OciArchive.create(file), name.map(Tag::parse));
        }

        @Override
        public String display() {
            return "oci-archive:" + file + name.map(n -> ":" + n).orElse("");
        }
    }

    /** A {@code docker save} tar; {@code name} is a reference such as {@code busybox:latest}. */
    record DockerArchiveFile(Path file, Optional<String> name) implements ImageLocation {
        @Override
        public Source openSource(RegistryClient client) throws IOException {
            DockerArchive archive = DockerArchive.open(file);
            try {
                int index = pickImage(archive);
                Optional<Tag> tag = name.map(Reference::parse).filter(r -> r instanceof Reference.ByTag)
                        .map(r -> ((Reference.ByTag) r).tag());
                return new Source(archive, archive.manifest(index).digest(), tag, Optional.empty());
            } catch (IOException | RuntimeException e) {
                archive.close();
                throw e;
            }
        }

        private int pickImage(DockerArchive archive) throws ImageNotFoundException {
            List<DockerArchive.Image> images = archive.images();
            if (name.isEmpty()) {
                if (images.size() == 1) {
                    return 0;
                }
                throw Failures.usage(file + " holds " + images.size() + " images; name one as docker-archive:" + file + ":REF (it has "
                        + images.stream().flatMap(i -> i.repoTags().stream()).collect(Collectors.joining(", ")) + ")");
            }
            Reference wanted = Reference.parse(name.get());
            for (int i = 0; i < images.size(); i++) {
                for (String repoTag : images.get(i).repoTags()) {
                    if (Reference.parse(repoTag).equals(wanted)) {
                        return i;
                    }
                }
            }
            throw new ImageNotFoundException(file + " has no image tagged " + name.get());
        }

        @Override
        public Destination openDestination(RegistryClient client, Source from, Consumer<BlobPush> pushed) throws IOException {
            Optional<Reference> ref = name.map(Reference::parse);
            if (ref.isPresent() && !(ref.get() instanceof Reference.ByTag)) {
                throw Failures.usage("a docker-archive names its image by tag, not digest: " + name.get());
            }
            Optional<String> repository = ref.map(r -> r.repository().familiar())
                    .or(() -> from.repository().map(Repository::familiar));
            Optional<Tag> tag = ref.map(r -> ((Reference.ByTag) r).tag());
            return new Destination(DockerArchive.create(file, repository), tag);
        }

        @Override
        public String display() {
            return "docker-archive:" + file + name.map(n -> ":" + n).orElse("");
        }
    }

    private static Optional<Tag> tag(Reference ref) {
        return switch (ref) {
            case Reference.ByTag byTag -> Optional.of(byTag.tag());
            case Reference.ByDigest byDigest -> byDigest.tag();
        };
    }

    /** Reads a layout's {@code index.json}. */
    @FunctionalInterface
    interface IndexReader {
        ImageIndex read() throws IOException;
    }

    /** The image an opened OCI layout (or archive of one) names, closing the layout when that fails. */
    private static Source openNamed(ImageSource layout, IndexReader index, Finder finder, Optional<String> name, String where)
            throws IOException {
        try {
            Digest digest = pick(index.read(), name, finder, where);
            return new Source(layout, digest, name.filter(Tag::isValid).map(Tag::parse), Optional.empty());
        } catch (IOException | RuntimeException e) {
            layout.close();
            throw e;
        }
    }

    /** A lookup of an {@code index.json} entry by name. */
    @FunctionalInterface
    interface Finder {
        Optional<Descriptor> find(String name) throws IOException;
    }

    /**
     * The image a layout's {@code index.json} names {@code name} (a digest also works); without a name,
     * its only image.
     */
    private static Digest pick(ImageIndex index, Optional<String> name, Finder finder, String where) throws IOException {
        List<Descriptor> entries = index.manifests();
        if (name.isPresent()) {
            Optional<Descriptor> found = finder.find(name.get());
            if (found.isPresent()) {
                return found.get().digest();
            }
            if (name.get().contains(":")) {
                Digest digest = Digest.parse(name.get());
                if (entries.stream().anyMatch(d -> d.digest().equals(digest))) {
                    return digest;
                }
            }
            throw new ImageNotFoundException(where + " has no image named " + name.get() + names(entries));
        }
        if (entries.size() == 1) {
            return entries.getFirst().digest();
        }
        if (entries.isEmpty()) {
            throw new ImageNotFoundException(where + " holds no image");
        }
        throw Failures.usage(where + " holds " + entries.size() + " images; name one as " + where + ":NAME" + names(entries));
    }

    private static String names(List<Descriptor> entries) {
        List<String> names = new ArrayList<>();
        for (Descriptor entry : entries) {
            names.add(entry.annotations().getOrDefault("org.opencontainers.image.ref.name", entry.digest().toString()));
        }
        return names.isEmpty() ? "" : " (it has " + String.join(", ", names) + ")";
    }

    /**
     * A registry destination addressed by digest: the root is pushed by its digest only (never under the
     * source's tag), and must be the digest asked for.
     */
    record ByDigestOnly(ImageDestination delegate, Digest expected) implements ImageDestination {
        @Override
        public boolean hasBlob(Digest digest) throws IOException {
            return delegate.hasBlob(digest);
        }

        @Override
        public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
            delegate.putBlob(blob, content);
        }

        @Override
        public void putManifest(Manifest manifest) throws IOException {
            delegate.putManifest(manifest);
        }

        @Override
        public void putRoot(Manifest manifest, Optional<Tag> tag) throws IOException {
            if (!manifest.digest().equals(expected)) {
                throw Failures.failure("the image has digest " + manifest.digest() + ", not " + expected + " as the destination says");
            }
            delegate.putRoot(manifest, Optional.empty());
        }
    }
}
