package dev.berth.client.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Applies image layers, bottom first, to a directory: the rootfs unpack of {@code berth pull --output}.
 * A layer is a tar, plain or gzip-compressed (recognised by its first bytes). OCI whiteouts are honoured:
 * {@code .wh.NAME} removes {@code NAME} from the layers below, {@code .wh..wh..opq} empties its directory
 * of what the layers below put there.
 *
 * <p>Nothing is written outside the directory (the class of CVE-2026-50163). An entry is refused with
 * {@link UnsafeEntryException}, before anything is written for it, when its name is absolute or climbs
 * out with {@code ..}, when any directory on its way is a symbolic link (so {@code a -> /etc} followed by
 * {@code a/passwd} is refused, whatever the link's policy), when a hard link's target is outside or
 * reached through a symbolic link, or when a symbolic link's target escapes under the {@link LinkPolicy}.
 * Links are never followed while extracting.
 *
 * <p>Not applied: ownership (the files belong to whoever extracts), setuid/setgid/sticky bits (dropped,
 * so an untrusted image cannot plant a setuid binary), device nodes and FIFOs (skipped and reported).
 * Directories get at least {@code rwx} for their owner so that later layers can write into them.
 *
 * <pre>{@code
 * LayerExtractor rootfs = new LayerExtractor(Path.of("rootfs"), LayerExtractor.LinkPolicy.ROOTFS);
 * for (Descriptor layer : manifest.layers()) {
 *     try (BlobStream blob = source.blob(layer.digest())) { rootfs.apply(blob.content()); }
 * }
 * }</pre>
 */
public final class LayerExtractor {

    /** Which symbolic link targets are accepted. */
    public enum LinkPolicy {
        /** Only relative targets that stay inside the directory. The safe choice for anything browsed on the host. */
        CONFINED,
        /**
         * Also absolute targets, which mean the image's root, as they do for a container (Debian's
         * {@code /etc/alternatives} links are absolute). Such links point outside the directory when
         * followed on the host: use the directory as a container root only.
         */
        ROOTFS
    }

    /** What one layer did. {@code skipped} lists device nodes, FIFOs and unknown entry types. */
    public record Report(int files, int directories, int symlinks, int hardlinks, int whiteouts, List<String> skipped) {
        public Report {
            skipped = List.copyOf(skipped);
        }
    }

    private final Path root;
    private final LinkPolicy policy;

    /** Extracts into {@code root}, created if absent. */
    public LayerExtractor(Path root, LinkPolicy policy) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
        this.policy = policy;
    }

    public Report apply(InputStream layer) throws IOException {
        return new Run().apply(layer);
    }

    /** The state of one layer's extraction. */
    private final class Run {
        private final Set<String> created = new HashSet<>();
        private final List<TarEntry> directories = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private int files;
        private int symlinks;
        private int hardlinks;
        private int whiteouts;

        Report apply(InputStream layer) throws IOException {
            try (TarReader tar = new TarReader(Compression.decompressed(layer))) {
                for (TarEntry entry; (entry = tar.next()) != null; ) {
                    extract(entry, tar);
                }
            }
            for (int i = directories.size() - 1; i >= 0; i--) {
                TarEntry entry = directories.get(i);
                Path path = realDirectory(SafePaths.clean(entry.name(), entry.name()));
                if (path != null) {
                    permissions(path, entry.mode() | 0700);
                    times(path, entry.mtime());
                }
            }
            return new Report(files, directories.size(), symlinks, hardlinks, whiteouts, skipped);
        }

        private void extract(TarEntry entry, TarReader tar) throws IOException {
            String name = entry.name();
            String clean = SafePaths.clean(name, name);
            if (clean.isEmpty()) {
                return;
            }
            String base = SafePaths.base(clean);
            String parentClean = SafePaths.parent(clean);
            if (base.startsWith(".wh.")) {
                try {
                    whiteout(parentClean, SafePaths.directory(root, parentClean, false, name), base.substring(4), name);
                } catch (NoSuchFileException e) {
                    whiteouts++;
                }
                return;
            }
            Path parent = SafePaths.directory(root, parentClean, true, name);
            for (String ancestor = parentClean; !ancestor.isEmpty(); ancestor = SafePaths.parent(ancestor)) {
                created.add(ancestor);
            }
            Path target = parent.resolve(base);
            switch (entry.type()) {
                case DIRECTORY -> {
                    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        SafePaths.delete(target);
                        Files.createDirectory(target);
                    }
                    directories.add(entry);
                }
                case FILE -> {
                    SafePaths.delete(target);
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        tar.content().transferTo(out);
                    }
                    permissions(target, entry.mode());
                    times(target, entry.mtime());
                    files++;
                }
                case SYMLINK -> {
                    SafePaths.checkSymlink(clean, entry.linkName(), policy == LinkPolicy.ROOTFS, name);
                    SafePaths.delete(target);
                    Files.createSymbolicLink(target, Path.of(entry.linkName()));
                    times(target, entry.mtime());
                    symlinks++;
                }
                case HARDLINK -> {
                    hardlink(entry, clean, target);
                    hardlinks++;
                }
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER -> {
                    skipped.add(clean);
                    return;
                }
            }
            created.add(clean);
        }

        /** The directory, or {@code null} if a later entry replaced it or a directory above it by something else. */
        private Path realDirectory(String clean) {
            Path path = root;
            for (String part : clean.split("/")) {
                path = path.resolve(part);
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
            }
            return path;
        }

        private void hardlink(TarEntry entry, String clean, Path target) throws IOException {
            String linked = SafePaths.clean(entry.linkName(), entry.name());
            if (linked.isEmpty()) {
                throw new UnsafeEntryException(entry.name(), "hard link to the directory itself");
            }
            Path source;
            try {
                source = SafePaths.directory(root, SafePaths.parent(linked), false, entry.name()).resolve(SafePaths.base(linked));
            } catch (NoSuchFileException e) {
                throw new InvalidImageException("hard link " + TarEntry.quote(entry.name()) + " to missing " + TarEntry.quote(linked));
            }
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidImageException("hard link " + TarEntry.quote(entry.name()) + " to missing or directory "
                        + TarEntry.quote(linked));
            }
            if (linked.equals(clean)) {
                return;
            }
            SafePaths.delete(target);
            Files.createLink(target, source);
        }

        private void whiteout(String parentClean, Path parent, String hidden, String name) throws IOException {
            whiteouts++;
            if (hidden.equals(".wh..opq")) {
                opaque(parentClean, parent);
            } else if (!hidden.startsWith(".wh.")) {
                if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                    throw new UnsafeEntryException(name, "whiteout of " + TarEntry.quote(hidden));
                }
                SafePaths.delete(parent.resolve(hidden));
            }
        }

        /** Removes what lower layers put in a directory, keeping what this layer created. */
        private void opaque(String clean, Path directory) throws IOException {
            List<Path> children;
            try (Stream<Path> list = Files.list(directory)) {
                children = list.toList();
            }
            for (Path child : children) {
                String childClean = clean.isEmpty() ? child.getFileName().toString() : clean + "/" + child.getFileName();
                if (!created.contains(childClean)) {
                    SafePaths.delete(child);
                } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    opaque(childClean, child);
                }
            }
        }
    }

    private static void permissions(Path path, int mode) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static void times(Path path, long mtime) {
        try {
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.fromMillis(mtime * 1000), null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // times are best effort
        }
    }
}
