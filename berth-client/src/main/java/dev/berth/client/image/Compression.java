package dev.berth.client.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Recognises compressed layers and archives by their first bytes, whatever their media type says. */
enum Compression {
    NONE, GZIP, ZSTD;

    static Compression of(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    static Compression sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return of(head, head.length);
        }
    }

    /**
     * The uncompressed content of a stream that may be gzip-compressed. zstd is refused: the JDK has no
     * decoder for it.
     */
    static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 64 * 1024);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        return switch (of(head, head.length)) {
            case GZIP -> new GZIPInputStream(buffered, 64 * 1024);
            case ZSTD -> throw new InvalidImageException("zstd-compressed layers are not supported");
            case NONE -> buffered;
        };
    }
}
