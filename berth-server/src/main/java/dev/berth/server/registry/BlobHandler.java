package dev.berth.server.registry;

import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.MetadataReads;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.storage.BlobSource;
import dev.berth.server.storage.BlobStore;
import dev.berth.spec.ByteRange;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.RegistryPath.Endpoint;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;

/**
 * {@code /v2/<name>/blobs/<digest>}: GET and HEAD, with single {@code Range} requests, served
 * zero-copy; DELETE unlinks the blob from the repository (its bytes go when garbage collection finds
 * no other link). A blob is visible only through a repository it is linked into.
 */
final class BlobHandler {
    private final BlobStore blobs;
    private final MetadataStore meta;
    private final MetadataReads memory;
    private final boolean deletes;

    BlobHandler(BlobStore blobs, MetadataStore meta, MetadataReads memory, boolean deletes) {
        this.blobs = blobs;
        this.meta = meta;
        this.memory = memory;
        this.deletes = deletes;
    }

    void register(Routes routes) {
        routes.add(Endpoint.BLOB, HttpMethod.GET, request -> get(request, meta), request -> get(request, memory));
        if (deletes) {
            routes.add(Endpoint.BLOB, HttpMethod.DELETE, this::delete);
        }
    }

    private Reply get(RegistryRequest request, MetadataReads reads) {
        Digest digest = request.digest();
        if (!reads.isBlobLinked(request.name(), digest)) {
            throw ErrorCode.BLOB_UNKNOWN.exception(digest.toString());
        }
        long size = reads.blobSize(digest).orElseThrow(() -> ErrorCode.BLOB_UNKNOWN.exception(digest.toString()));
        BlobSource.LocalFile file = switch (blobs.source(digest, size)) {
            case BlobSource.LocalFile local -> local;
        };
        Reply.Builder reply = Reply.status(200)
                .header("Content-Type", MediaTypes.OCTET_STREAM)
                .header("Docker-Content-Digest", digest)
                .header("ETag", "\"" + digest + "\"")
                .header("Accept-Ranges", "bytes")
                .header("Cache-Control", "max-age=31536000");
        if (request.header("If-None-Match").filter(etag -> ManifestHandler.matchesEtag(etag, digest)).isPresent()) {
            return Reply.status(304).header("Docker-Content-Digest", digest).header("ETag", "\"" + digest + "\"").empty();
        }
        Optional<String> range = request.header("Range");
        if (range.isEmpty()) {
            return reply.file(file.path(), 0, size);
        }
        ByteRange bytes = ByteRange.ofRequest(range.get(), size);
        return Reply.status(206)
                .header("Content-Type", MediaTypes.OCTET_STREAM)
                .header("Docker-Content-Digest", digest)
                .header("ETag", "\"" + digest + "\"")
                .header("Accept-Ranges", "bytes")
                .header("Content-Range", bytes.contentRange(size))
                .file(file.path(), bytes.first(), bytes.length());
    }

    private Reply delete(RegistryRequest request) {
        Digest digest = request.digest();
        if (!meta.unlinkBlob(request.name(), digest)) {
            throw ErrorCode.BLOB_UNKNOWN.exception(digest.toString());
        }
        return Reply.status(202).header("Docker-Content-Digest", digest).empty();
    }
}
