package dev.berth.client.image;

import java.io.IOException;

/**
 * Image content that cannot be trusted or understood: a blob or manifest whose bytes do not match its
 * digest or size, a malformed archive, layout or tar, a config whose {@code diff_ids} disagree with its
 * layers. Nothing is committed under a digest that failed verification.
 */
public class InvalidImageException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
