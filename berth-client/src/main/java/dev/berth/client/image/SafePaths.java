package dev.berth.client.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The path rules of {@link LayerExtractor}. Entry names are cleaned lexically and must stay below the
 * root; the directories on the way to an entry must be real directories, never symbolic links, so no
 * write, link or delete is ever redirected by a link (one planted by an earlier entry or layer
 * included); link targets are judged by {@link #checkSymlink} and {@link #clean}.
 */
final class SafePaths {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private SafePaths() {
    }

    /**
     * {@code a/b} for {@code ./a//b/}, {@code ""} for the root itself. Absolute names, names with a NUL
     * and names whose {@code ..} climb above the root are refused.
     */
    static String clean(String name, String entry) throws UnsafeEntryException {
        if (name.indexOf('\0') >= 0) {
            throw new UnsafeEntryException(entry, "NUL in a path");
        }
        if (name.startsWith("/")) {
            throw new UnsafeEntryException(entry, "absolute path " + TarEntry.quote(name));
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new UnsafeEntryException(entry, "path " + TarEntry.quote(name) + " climbs out of the directory");
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    static String parent(String clean) {
        int slash = clean.lastIndexOf('/');
        return slash < 0 ? "" : clean.substring(0, slash);
    }

    static String base(String clean) {
        return clean.substring(clean.lastIndexOf('/') + 1);
    }

    /**
     * The directory {@code clean} names below {@code root}, each component a real directory; missing
     * ones are created when {@code create} is set.
     *
     * @throws UnsafeEntryException when a component is a symbolic link
     */
    static Path directory(Path root, String clean, boolean create, String entry) throws IOException {
        Path path = root;
        if (clean.isEmpty()) {
            return path;
        }
        for (String part : clean.split("/")) {
            path = path.resolve(part);
            if (Files.isSymbolicLink(path)) {
                throw new UnsafeEntryException(entry, "path goes through the symbolic link " + TarEntry.quote(root.relativize(path).toString()));
            }
            if (!Files.exists(path, NOFOLLOW)) {
                if (!create) {
                    throw new NoSuchFileException(path.toString());
                }
                Files.createDirectory(path);
            } else if (!Files.isDirectory(path, NOFOLLOW)) {
                throw new InvalidImageException("cannot extract " + TarEntry.quote(entry) + ": "
                        + TarEntry.quote(root.relativize(path).toString()) + " is not a directory");
            }
        }
        return path;
    }

    /**
     * Whether a symbolic link at {@code clean} may point at {@code target}. Relative targets may start
     * with {@code ..} components, at most as many as the link is deep, and have none after a name: then
     * whatever links the target passes through, it cannot climb out of the root. Absolute targets are
     * allowed only when {@code rootfs} is set (they then mean the image's root, as in a container).
     */
    static void checkSymlink(String clean, String target, boolean rootfs, String entry) throws UnsafeEntryException {
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new UnsafeEntryException(entry, "empty symbolic link target or NUL in it");
        }
        if (target.startsWith("/")) {
            if (!rootfs) {
                throw new UnsafeEntryException(entry, "symbolic link to the absolute path " + TarEntry.quote(target)
                        + " points outside the directory (LinkPolicy.ROOTFS allows it for a container root)");
            }
            return;
        }
        int depth = parent(clean).isEmpty() ? 0 : parent(clean).split("/").length;
        int climbs = 0;
        boolean named = false;
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (named) {
                    throw new UnsafeEntryException(entry, "symbolic link target " + TarEntry.quote(target) + " has .. after a name");
                }
                climbs++;
            } else {
                named = true;
            }
        }
        if (climbs > depth) {
            throw new UnsafeEntryException(entry, "symbolic link target " + TarEntry.quote(target) + " climbs out of the directory");
        }
    }

    /** Removes a file, a link (not what it points at) or a directory tree, never following links. */
    static void delete(Path path) throws IOException {
        if (!Files.exists(path, NOFOLLOW)) {
            return;
        }
        if (!Files.isDirectory(path, NOFOLLOW)) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
