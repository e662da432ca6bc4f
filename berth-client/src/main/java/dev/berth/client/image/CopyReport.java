package dev.berth.client.image;

import dev.berth.spec.Digest;
import java.util.List;

/**
 * What a copy did: the root manifest written (its digest and media type; the index itself when a whole
 * index was copied, the chosen platform's manifest otherwise), every manifest written, bottom first, and
 * the blobs copied or found already present.
 */
public record CopyReport(Digest digest, String mediaType, List<Digest> manifests, int blobsCopied, int blobsSkipped,
        long bytesCopied) {

    public CopyReport {
        manifests = List.copyOf(manifests);
    }
}
