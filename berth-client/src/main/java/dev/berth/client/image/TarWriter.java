package dev.berth.client.image;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a POSIX tar stream: ustar headers, the ustar {@code prefix} for names up to 255 bytes, and a
 * PAX extended header for anything ustar cannot hold (longer or non-ASCII names and link targets,
 * sizes of 8 GiB and more, large ids or times). {@link #finish()} writes the two zero blocks that end
 * the archive; {@link #close()} finishes and closes the stream.
 */
final class TarWriter implements Closeable {
    private static final int BLOCK = TarReader.BLOCK;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final long MAX_OCTAL_7 = 07777777L;

    private final OutputStream out;
    private long written;
    private boolean finished;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes a header-only entry: a directory, a link, or an empty file. */
    void write(TarEntry entry) throws IOException {
        if (entry.size() != 0) {
            throw new IllegalArgumentException("entry " + TarEntry.quote(entry.name()) + " has content");
        }
        header(entry);
    }

    /** Writes a file entry followed by exactly {@code entry.size()} bytes of {@code content}. */
    void write(TarEntry entry, InputStream content) throws IOException {
        header(entry);
        byte[] buffer = new byte[64 * 1024];
        long left = entry.size();
        while (left > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("content of " + TarEntry.quote(entry.name()) + " ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        pad(entry.size());
        written += entry.size();
    }

    /** Bytes written so far. */
    long written() {
        return written;
    }

    void finish() throws IOException {
        if (!finished) {
            finished = true;
            out.write(new byte[2 * BLOCK]);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        try (out) {
            finish();
        }
    }

    private void header(TarEntry entry) throws IOException {
        Map<String, String> pax = new LinkedHashMap<>();
        String name = entry.type() == TarEntry.Type.DIRECTORY && !entry.name().endsWith("/") ? entry.name() + "/" : entry.name();
        String[] split = split(name);
        if (split == null) {
            pax.put("path", name);
            split = new String[] {"", ascii(name, 100)};
        }
        String link = entry.linkName();
        if (!fits(link, 100)) {
            pax.put("linkpath", link);
            link = ascii(link, 100);
        }
        long size = entry.size();
        if (size > MAX_OCTAL_11) {
            pax.put("size", Long.toString(size));
            size = 0;
        }
        long uid = large(pax, "uid", entry.uid(), MAX_OCTAL_7);
        long gid = large(pax, "gid", entry.gid(), MAX_OCTAL_7);
        long mtime = entry.mtime() < 0 ? 0 : large(pax, "mtime", entry.mtime(), MAX_OCTAL_11);
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            block('x', "PaxHeaders/" + ascii(split[1], 80), records.length, 0644, 0, 0, mtime, "", "");
            out.write(records);
            pad(records.length);
            written += records.length;
        }
        char flag = switch (entry.type()) {
            case FILE, OTHER -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            case DIRECTORY -> '5';
            case FIFO -> '6';
        };
        block(flag, split[1], size, entry.mode(), uid, gid, mtime, link, split[0]);
    }

    private void block(char flag, String name, long size, int mode, long uid, long gid, long mtime, String link,
            String prefix) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) flag;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 345, 155, prefix);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
        written += BLOCK;
    }

    /** {@code [prefix, name]} for ustar, or {@code null} when the name needs a PAX header. */
    private static String[] split(String name) {
        if (fits(name, 100)) {
            return new String[] {"", name};
        }
        if (!fits(name, 256)) {
            return null;
        }
        int slash = name.indexOf('/', Math.max(0, name.length() - 101));
        while (slash >= 0) {
            if (slash > 0 && slash <= 155 && name.length() - slash - 1 <= 100 && slash < name.length() - 1) {
                return new String[] {name.substring(0, slash), name.substring(slash + 1)};
            }
            slash = name.indexOf('/', slash + 1);
        }
        return null;
    }

    private static boolean fits(String s, int length) {
        if (s.length() > length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80 || s.charAt(i) == 0) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(String s, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < length; i++) {
            char c = s.charAt(i);
            b.append(c < 0x80 && c != 0 ? c : '_');
        }
        return b.toString();
    }

    private static long large(Map<String, String> pax, String key, long value, long max) {
        if (value < 0 || value > max) {
            pax.put(key, Long.toString(value));
            return 0;
        }
        return value;
    }

    private static byte[] paxRecords(Map<String, String> pax) {
        StringBuilder records = new StringBuilder();
        pax.forEach((key, value) -> {
            int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length++;
            }
            records.append(length).append(' ').append(key).append('=').append(value).append('\n');
        });
        return records.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, h, offset, Math.min(length, bytes.length));
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(h, offset, length - 1, padded);
    }

    private void pad(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[padding]);
        written += padding;
    }
}
