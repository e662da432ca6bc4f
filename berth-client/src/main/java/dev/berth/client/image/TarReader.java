package dev.berth.client.image;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a tar stream entry by entry: POSIX ustar (with its {@code prefix} field), PAX extended
 * headers ({@code path}, {@code linkpath}, {@code size}, {@code uid}, {@code gid}, {@code mtime}), GNU
 * long names and link names ({@code L}, {@code K}) and base-256 numbers. Every header's checksum is
 * verified; long names and PAX headers are capped at 1 MiB each. GNU sparse files are refused.
 *
 * <pre>{@code
 * try (TarReader tar = new TarReader(in)) {
 *     for (TarEntry e; (e = tar.next()) != null; ) {
 *         if (e.type() == TarEntry.Type.FILE) consume(tar.content());
 *     }
 * }
 * }</pre>
 */
final class TarReader implements Closeable {
    static final int BLOCK = 512;
    private static final int MAX_METADATA = 1 << 20;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private long position;
    private long remaining;
    private long padding;
    private boolean done;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or {@code null} at the end of the archive. Unread content of the previous one is skipped. */
    TarEntry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        if (done) {
            return null;
        }
        String longName = null;
        String longLink = null;
        Map<String, String> pax = Map.of();
        while (true) {
            if (!readHeader()) {
                done = true;
                return null;
            }
            char flag = (char) (header[156] & 0xff);
            long size = number(124, 12);
            switch (flag) {
                case 'x', 'X' -> pax = parsePax(metadata(size));
                case 'g' -> metadata(size);
                case 'L' -> longName = cString(metadata(size));
                case 'K' -> longLink = cString(metadata(size));
                case 'S' -> throw new InvalidImageException("GNU sparse tar entries are not supported: " + TarEntry.quote(headerName()));
                default -> {
                    return entry(flag, size, longName, longLink, pax);
                }
            }
        }
    }

    /** The current entry's data; reading stops at its end. Valid until the next call to {@link #next()}. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar truncated inside an entry");
                }
                remaining -= n;
                position += n;
                return n;
            }
        };
    }

    /** How many bytes of the archive have been consumed. */
    long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private TarEntry entry(char flag, long headerSize, String longName, String longLink, Map<String, String> pax)
            throws IOException {
        if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
            throw new InvalidImageException("GNU sparse tar entries are not supported: " + TarEntry.quote(headerName()));
        }
        String name = pax.getOrDefault("path", longName != null ? longName : headerName());
        String link = pax.getOrDefault("linkpath", longLink != null ? longLink : string(157, 100));
        long size = pax.containsKey("size") ? paxNumber(pax, "size") : headerSize;
        TarEntry.Type type = switch (flag) {
            case '0', '\0', '7' -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5', 'D' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            default -> TarEntry.Type.OTHER;
        };
        boolean headerOnly = switch (type) {
            case HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO -> true;
            case FILE, OTHER -> false;
        };
        if (headerOnly && flag != 'D') {
            size = 0;
        }
        long uid = pax.containsKey("uid") ? paxNumber(pax, "uid") : number(108, 8);
        long gid = pax.containsKey("gid") ? paxNumber(pax, "gid") : number(116, 8);
        long mtime = pax.containsKey("mtime") ? paxSeconds(pax.get("mtime")) : number(136, 12);
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        return new TarEntry(name, type, size, (int) (number(100, 8) & 07777), uid, gid, mtime, link, position);
    }

    private boolean readHeader() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        position += n;
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar truncated inside a header");
        }
        boolean zero = true;
        for (byte b : header) {
            zero &= b == 0;
        }
        if (zero) {
            return false;
        }
        long stored = number(148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += i >= 148 && i < 156 ? ' ' : header[i];
        }
        if (stored != unsigned && stored != signed) {
            throw new InvalidImageException("not a tar archive, or corrupt: bad header checksum at offset " + (position - BLOCK));
        }
        return true;
    }

    private String headerName() {
        String name = string(0, 100);
        boolean posix = header[257] == 'u' && header[262] == 0 && header[263] == '0' && header[264] == '0';
        String prefix = posix ? string(345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private byte[] metadata(long size) throws IOException {
        if (size > MAX_METADATA) {
            throw new InvalidImageException("tar extended header of " + size + " bytes exceeds " + MAX_METADATA);
        }
        byte[] data = in.readNBytes((int) size);
        position += data.length;
        if (data.length < size) {
            throw new EOFException("tar truncated inside an extended header");
        }
        skip((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    /** PAX records: {@code "<length> <key>=<value>\n"}, the length counting the whole record. */
    private static Map<String, String> parsePax(byte[] data) throws InvalidImageException {
        Map<String, String> records = new HashMap<>();
        int at = 0;
        while (at < data.length) {
            int space = at;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new InvalidImageException("malformed PAX header record length");
            }
            int end = at + length;
            if (length <= 0 || end > data.length || space >= end || data[end - 1] != '\n') {
                throw new InvalidImageException("malformed PAX header record");
            }
            String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals <= 0) {
                throw new InvalidImageException("malformed PAX header record");
            }
            records.put(record.substring(0, equals), record.substring(equals + 1));
            at = end;
        }
        return records;
    }

    private static long paxNumber(Map<String, String> pax, String key) throws InvalidImageException {
        try {
            long value = Long.parseLong(pax.get(key));
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidImageException("malformed PAX " + key + ": " + TarEntry.quote(pax.get(key)));
        }
    }

    private static long paxSeconds(String value) throws InvalidImageException {
        try {
            int dot = value.indexOf('.');
            return Long.parseLong(dot < 0 ? value : value.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new InvalidImageException("malformed PAX mtime: " + TarEntry.quote(value));
        }
    }

    /** An octal field (space or NUL padded), or a GNU base-256 number when the top bit of its first byte is set. */
    private long number(int offset, int length) throws InvalidImageException {
        if ((header[offset] & 0x80) != 0) {
            if ((header[offset] & 0x40) != 0) {
                throw new InvalidImageException("negative base-256 number in tar header");
            }
            long value = header[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw new InvalidImageException("base-256 number overflows in tar header");
                }
                value = value << 8 | (header[offset + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            int digit = header[i] - '0';
            if (digit < 0 || digit > 7) {
                throw new InvalidImageException("not a tar archive, or corrupt: bad octal number at offset "
                        + (position - BLOCK + offset));
            }
            value = value << 3 | digit;
        }
        return value;
    }

    private String string(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar truncated");
                }
                skipped = 1;
            }
            left -= skipped;
            position += skipped;
        }
    }
}
