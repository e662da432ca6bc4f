package dev.berth.client.image;

import java.util.Objects;

/**
 * One member of a tar archive, after long names (GNU {@code L}/{@code K}) and PAX headers have been
 * applied. {@code size} is the number of data bytes that follow the header (zero for links,
 * directories and devices); {@code dataOffset} is where they start in the archive, {@code -1} for
 * entries being written. {@code mtime} is in seconds since the epoch.
 */
record TarEntry(String name, Type type, long size, int mode, long uid, long gid, long mtime, String linkName,
        long dataOffset) {

    enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER }

    TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        linkName = linkName == null ? "" : linkName;
        if (size < 0) {
            throw new IllegalArgumentException("negative size for " + quote(name));
        }
    }

    static TarEntry file(String name, long size, int mode) {
        return new TarEntry(name, Type.FILE, size, mode, 0, 0, 0, "", -1);
    }

    static TarEntry directory(String name, int mode) {
        return new TarEntry(name, Type.DIRECTORY, 0, mode, 0, 0, 0, "", -1);
    }

    static TarEntry symlink(String name, String target) {
        return new TarEntry(name, Type.SYMLINK, 0, 0777, 0, 0, 0, target, -1);
    }

    static TarEntry hardlink(String name, String target) {
        return new TarEntry(name, Type.HARDLINK, 0, 0644, 0, 0, 0, target, -1);
    }

    TarEntry withMtime(long seconds) {
        return new TarEntry(name, type, size, mode, uid, gid, seconds, linkName, dataOffset);
    }

    /** A name for messages: quoted, control characters escaped, at most about 200 characters. */
    static String quote(String name) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < name.length() && out.length() < 200; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(out.length() >= 200 ? "…\"" : "\"").toString();
    }
}
