package dev.berth.server.registry;

import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.BlobRecord;
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
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /v2/<name>/blobs/<digest>}: GET and HEAD, with single {@code Range} requests, served
 * zero-copy from the blob store (from memory when the metadata store keeps the bytes); DELETE unlinks the blob
 * from the repository (its bytes go when garbage collection finds no other link). A blob is visible
 * only through a repository it is linked into.
 */
final class BlobHandler {
    private final BlobStore blobs;
    private final MetadataStore meta;
    private final MetadataReads memory;
    private final ContentCache contents;
    private final boolean deletes;

    BlobHandler(BlobStore blobs, MetadataStore meta, MetadataReads memory, ContentCache contents, boolean deletes) {
        this.blobs = blobs;
        this.meta = meta;
        this.memory = memory;
        this.contents = contents;
        this.deletes = deletes;
    }

    void register(Routes routes) {
        routes.add(Endpoint.BLOB, HttpMethod.GET,
                request -> get(request, meta, contents::get),
                request -> get(request, memory, contents::inMemory));
        if (deletes) {
            routes.add(Endpoint.BLOB, HttpMethod.DELETE, this::delete);
        }
    }

    private Reply get(RegistryRequest request, MetadataReads reads, Function<Digest, byte[]> storedBytes) {
        Digest digest = request.digest();
        if (!reads.isBlobLinked(request.name(), digest)) {
            throw ErrorCode.BLOB_UNKNOWN.exception(digest.toString());
        }
        BlobRecord blob = reads.blob(digest).orElseThrow(() -> ErrorCode.BLOB_UNKNOWN.exception(digest.toString()));
        long size = blob.size();
        if (request.header("If-None-Match").filter(etag -> ManifestHandler.matchesEtag(etag, digest)).isPresent()) {
            return Reply.status(304).header("Docker-Content-Digest", digest).header("ETag", "\"" + digest + "\"").empty();
        }
        Optional<String> range = request.header("Range");
        Reply.Builder reply = Reply.status(range.isEmpty() ? 200 : 206)
                .header("Content-Type", MediaTypes.OCTET_STREAM)
                .header("Docker-Content-Digest", digest)
                .header("ETag", "\"" + digest + "\"")
                .header("Accept-Ranges", "bytes");
        long first = 0;
        long length = size;
        if (range.isEmpty()) {
            reply.header("Cache-Control", "max-age=31536000");
        } else {
            ByteRange bytes = ByteRange.ofRequest(range.get(), size);
            reply.header("Content-Range", bytes.contentRange(size));
            first = bytes.first();
            length = bytes.length();
        }
        if (blob.inDatabase()) {
            byte[] content = storedBytes.apply(digest);
            return reply.bytes(MediaTypes.OCTET_STREAM, length == content.length
                    ? content
                    : Arrays.copyOfRange(content, (int) first, (int) (first + length)));
        }
        return switch (blobs.source(digest, size)) {
            case BlobSource.LocalFile file -> reply.file(file.path(), first, length);
        };
    }

    private Reply delete(RegistryRequest request) {
        Digest digest = request.digest();
        if (!meta.unlinkBlob(request.name(), digest)) {
            throw ErrorCode.BLOB_UNKNOWN.exception(digest.toString());
        }
        return Reply.status(202).header("Docker-Content-Digest", digest).empty();
    }
}
