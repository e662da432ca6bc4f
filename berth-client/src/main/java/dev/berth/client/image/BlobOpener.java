package dev.berth.client.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a blob's content from its first byte, for {@link ImageDestination#putBlob}. Each call gives a
 * new stream, which the caller closes; a destination that retries an upload may open the blob again.
 * The streams {@link ImageCopier} hands out are verified as they are read: the read that reaches the end
 * of content that is not the blob's digest (or size) throws instead of returning {@code -1}.
 */
@FunctionalInterface
public interface BlobOpener {
    InputStream open() throws IOException;
}
