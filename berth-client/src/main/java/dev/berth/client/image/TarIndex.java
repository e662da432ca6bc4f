package dev.berth.client.image;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Random access to the members of a tar file, as the archive formats need: one pass records where each
 * member's data starts, then any member is opened with its own {@link FileChannel} (so several can be
 * read at once). A gzip-compressed tar is first decompressed into a temporary file, deleted on
 * {@link #close()}. Names are normalised ({@code ./a//b/} is {@code a/b}); a later member of the same
 * name replaces an earlier one, as when extracting. Symbolic and hard links between members are
 * followed inside the archive only.
 */
final class TarIndex implements Closeable {
    private static final int MAX_LINK_HOPS = 16;

    private final Path file;
    private final Path temporary;
    private final Map<String, TarEntry> entries;

    private TarIndex(Path file, Path temporary, Map<String, TarEntry> entries) {
        this.file = file;
        this.temporary = temporary;
        this.entries = entries;
    }

    static TarIndex open(Path archive) throws IOException {
        Path temporary = null;
        Path file = archive;
        if (Compression.sniff(archive) == Compression.GZIP) {
            temporary = Files.createTempFile("berth-archive-", ".tar");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 64 * 1024);
                    OutputStream out = Files.newOutputStream(temporary)) {
                in.transferTo(out);
            } catch (IOException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
            file = temporary;
        }
        Map<String, TarEntry> entries = new HashMap<>();
        try (TarReader reader = new TarReader(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
            for (TarEntry entry; (entry = reader.next()) != null; ) {
                Optional<String> name = normalize(entry.name());
                if (name.isPresent()) {
                    entries.put(name.get(), entry);
                }
            }
        } catch (IOException e) {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
            throw new InvalidImageException("cannot read " + archive + " as a tar archive: " + e.getMessage(), e);
        }
        return new TarIndex(file, temporary, entries);
    }

    /** The member with this name, links not followed. */
    Optional<TarEntry> entry(String name) {
        return normalize(name).map(entries::get);
    }

    /**
     * The regular file a name leads to, following symbolic links (relative to the link's directory) and
     * hard links (relative to the archive root) without ever leaving the archive.
     *
     * @throws NoSuchFileException when there is none
     */
    TarEntry file(String name) throws IOException {
        String current = normalize(name).orElseThrow(() -> new NoSuchFileException(name));
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            TarEntry entry = entries.get(current);
            if (entry == null) {
                throw new NoSuchFileException(name);
            }
            switch (entry.type()) {
                case FILE -> {
                    return entry;
                }
                case SYMLINK -> current = resolve(parent(current), entry.linkName())
                        .orElseThrow(() -> new InvalidImageException("archive link escapes the archive: " + TarEntry.quote(name)));
                case HARDLINK -> current = normalize(entry.linkName())
                        .orElseThrow(() -> new InvalidImageException("archive link escapes the archive: " + TarEntry.quote(name)));
                default -> throw new InvalidImageException("archive member is not a file: " + TarEntry.quote(name));
            }
        }
        throw new InvalidImageException("too many links for archive member " + TarEntry.quote(name));
    }

    /** Opens a regular file member, following links; its stream reads exactly the member's bytes. */
    BlobStream open(String name) throws IOException {
        TarEntry entry = file(name);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(entry.dataOffset());
        InputStream bounded = new BoundedInputStream(Channels.newInputStream(channel), entry.size());
        return new BlobStream(new BufferedInputStream(bounded, 64 * 1024), entry.size());
    }

    boolean exists(String name) {
        try {
            file(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        if (temporary != null) {
            Files.deleteIfExists(temporary);
        }
    }

    /** {@code a/b} for {@code ./a//b/}, {@code ""} for the root; empty when {@code ..} climbs out. */
    static Optional<String> normalize(String name) {
        return resolve("", name.startsWith("/") ? name.substring(1) : name);
    }

    private static Optional<String> resolve(String directory, String relative) {
        if (relative.startsWith("/")) {
            return normalize(relative);
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : (directory + "/" + relative).split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return Optional.of(String.join("/", parts));
    }

    private static String parent(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** Reads at most {@code limit} bytes, then reports end of stream. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            } else if (n < 0) {
                throw new java.io.EOFException("archive truncated");
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
