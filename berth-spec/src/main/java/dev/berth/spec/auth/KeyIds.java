package dev.berth.spec.auth;

import dev.berth.spec.Digest;
import java.security.PublicKey;

/** Key ids as the registry ecosystem computes them. */
public final class KeyIds {
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private KeyIds() {
    }

    /**
     * libtrust's key id, which docker's schema 1 signatures carry and CNCF distribution matches a token's
     * {@code kid} against: the first 240 bits of the SHA-256 of the DER {@code SubjectPublicKeyInfo}, in
     * base32 (RFC 4648, no padding), as twelve colon-separated groups of four, for example
     * {@code 6QVR:5NTY:VIHC:W6IU:XYIN:L5ZU:XUMY:3UO7:Z7N5:BMQA:IDBZ:WCHI}.
     */
    public static String libtrust(PublicKey key) {
        byte[] hash = Digest.newSha256().digest(key.getEncoded());
        StringBuilder id = new StringBuilder(59);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < 30; i++) {
            buffer = buffer << 8 | hash[i] & 0xff;
            bits += 8;
            while (bits >= 5) {
                if (id.length() % 5 == 4) {
                    id.append(':');
                }
                id.append(BASE32.charAt(buffer >> (bits - 5) & 31));
                bits -= 5;
            }
        }
        return id.toString();
    }
}
