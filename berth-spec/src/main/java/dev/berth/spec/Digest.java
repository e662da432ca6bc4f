package dev.berth.spec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:encoded}, as the OCI image-spec defines it. Only the registered
 * algorithms {@code sha256} and {@code sha512} are accepted, with lower-case hex of the exact length;
 * anything else is {@link ErrorCode#DIGEST_INVALID}.
 *
 * <pre>{@code
 * Digest d = Digest.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
 * Digest.sha256(bytes).equals(d);
 * }</pre>
 */
public record Digest(String algorithm, String hex) implements Identifier, Comparable<Digest> {
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (algorithm == null || hex == null) {
            throw ErrorCode.DIGEST_INVALID.exception("invalid digest: " + algorithm + ":" + hex);
        }
        int length = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw ErrorCode.DIGEST_INVALID.exception("unsupported digest algorithm: " + algorithm);
        };
        if (hex.length() != length || !isLowerHex(hex)) {
            throw ErrorCode.DIGEST_INVALID.exception("invalid " + algorithm + " digest: " + hex);
        }
    }

    public static Digest parse(String text) {
        if (text == null || text.length() > 200 || !GRAMMAR.matcher(text).matches()) {
            throw ErrorCode.DIGEST_INVALID.exception("invalid digest: " + abbreviate(text));
        }
        int colon = text.indexOf(':');
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] content) {
        return of(newSha256().digest(content));
    }

    /** The digest of a finished SHA-256 computation. */
    public static Digest of(byte[] sha256) {
        return new Digest("sha256", HexFormat.of().formatHex(sha256));
    }

    public static MessageDigest newSha256() {
        return newHasher("sha256");
    }

    /** A fresh {@link MessageDigest} for this digest's algorithm, to verify content against it. */
    public MessageDigest newHasher() {
        return newHasher(algorithm);
    }

    /** The digest of {@code content} under this digest's algorithm. */
    public Digest recompute(byte[] content) {
        return new Digest(algorithm, HexFormat.of().formatHex(newHasher().digest(content)));
    }

    private static MessageDigest newHasher(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
