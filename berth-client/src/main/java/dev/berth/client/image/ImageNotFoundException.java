package dev.berth.client.image;

import java.io.IOException;

/** A source holds no manifest or blob under the tag or digest asked for. */
public class ImageNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageNotFoundException(String message) {
        super(message);
    }
}
