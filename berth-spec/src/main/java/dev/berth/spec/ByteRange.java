package dev.berth.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inclusive byte range {@code [first, last]}. Two grammars meet here: the {@code Range} header of a
 * blob GET ({@code bytes=0-99}, {@code bytes=100-}, {@code bytes=-100}), resolved against the blob's
 * length, and the {@code Content-Range} of an upload chunk ({@code 0-99}, also accepted as
 * {@code bytes 0-99/*}).
 */
public record ByteRange(long first, long last) {
    private static final Pattern REQUEST = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");
    private static final Pattern CHUNK = Pattern.compile("(?:bytes[ =])?(\\d{1,19})-(\\d{1,19})(?:/(?:\\d{1,19}|\\*))?");

    public ByteRange {
        if (first < 0 || last < first) {
            throw ErrorCode.RANGE_INVALID.exception("invalid range: " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /**
     * Resolves a {@code Range} request header against a blob of {@code size} bytes. Several ranges or a
     * malformed or unsatisfiable one are {@link ErrorCode#RANGE_INVALID} (416, with
     * {@code Content-Range: bytes *&#47;size}), as Go's {@code http.ServeContent} answers for
     * distribution; a range past the end is clipped.
     */
    public static ByteRange ofRequest(String header, long size) {
        Matcher m = REQUEST.matcher(header.strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            throw ErrorCode.RANGE_INVALID.exception("unsupported range: " + Digest.abbreviate(header))
                    .withHeader("Content-Range", "bytes */" + size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first)) {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            throw unsatisfiable(header, size);
        }
    }

    /** Parses an upload chunk's {@code Content-Range}. */
    public static ByteRange ofChunk(String header) {
        Matcher m = CHUNK.matcher(header.strip());
        if (!m.matches()) {
            throw ErrorCode.RANGE_INVALID.exception("invalid Content-Range: " + Digest.abbreviate(header));
        }
        try {
            return new ByteRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw ErrorCode.RANGE_INVALID.exception("invalid Content-Range: " + Digest.abbreviate(header));
        }
    }

    /** 416, with the {@code Content-Range: bytes *&#47;size} that tells the client the real length. */
    private static RegistryException unsatisfiable(String header, long size) {
        return ErrorCode.RANGE_INVALID.exception("range " + Digest.abbreviate(header) + " not satisfiable for size " + size)
                .withHeader("Content-Range", "bytes */" + size);
    }

    /** {@code bytes 0-99/1234}, for a 206 response. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
