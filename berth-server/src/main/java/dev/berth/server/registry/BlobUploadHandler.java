package dev.berth.server.registry;

import dev.berth.server.auth.Grant;
import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.meta.MetadataStore;
import dev.berth.server.meta.UploadSession;
import dev.berth.spec.ByteRange;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.RegistryPath.Endpoint;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.auth.Scope;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;

/**
 * Blob uploads, every way clients do them: monolithic {@code POST ?digest=}; {@code POST} then
 * {@code PUT ?digest=} with the body; streamed {@code PATCH} without {@code Content-Range}; chunked
 * {@code PATCH} with {@code Content-Range}; status {@code GET}; cancel by {@code DELETE}; and
 * cross-repository mounts ({@code POST ?mount=&from=}, or without {@code from}: any repository
 * holding the blob), which fall back to a new session when nothing can be mounted.
 */
final class BlobUploadHandler {
    private static final int MOUNT_CANDIDATES = 100;
    private final Uploads uploads;
    private final MetadataStore meta;

    BlobUploadHandler(Uploads uploads, MetadataStore meta) {
        this.uploads = uploads;
        this.meta = meta;
    }

    void register(Routes routes) {
        routes.add(Endpoint.UPLOADS, HttpMethod.POST, this::start)
                .add(Endpoint.UPLOAD, HttpMethod.GET, this::status)
                .add(Endpoint.UPLOAD, HttpMethod.PATCH, this::patch)
                .add(Endpoint.UPLOAD, HttpMethod.PUT, this::complete)
                .add(Endpoint.UPLOAD, HttpMethod.DELETE, this::cancel);
    }

    private Reply start(RegistryRequest request) {
        RepositoryName name = request.name();
        Optional<String> mount = request.query("mount", ErrorCode.DIGEST_INVALID);
        if (mount.isPresent()) {
            Digest digest = Digest.parse(mount.get());
            Optional<RepositoryName> from = request.query("from", ErrorCode.NAME_INVALID).map(RepositoryName::parse);
            if (mountable(digest, from, request.grant())) {
                meta.linkBlob(name, digest);
                return created(name, digest);
            }
        }
        Optional<Digest> digest = request.query("digest", ErrorCode.DIGEST_INVALID).map(Digest::parse);
        UploadSession session = uploads.start(name);
        if (digest.isPresent()) {
            uploads.complete(session, request, null, digest.get());
            return created(name, digest.get());
        }
        return Reply.status(202)
                .header("Location", RegistryPath.upload(name, session.id()))
                .header("Range", "0-0")
                .header("Docker-Upload-UUID", session.id())
                .header("OCI-Chunk-Min-Length", 1)
                .empty();
    }

    /**
     * Whether {@code digest} can be linked without an upload: it is in {@code from}, or, when no source
     * is named, in any repository; either way only in one the caller may pull from, so a mount never
     * reveals content the caller could not read.
     */
    private boolean mountable(Digest digest, Optional<RepositoryName> from, Grant grant) {
        if (from.isPresent()) {
            return readable(from.get(), grant) && meta.isBlobLinked(from.get(), digest);
        }
        return meta.repositoriesWithBlob(digest, MOUNT_CANDIDATES).stream().anyMatch(source -> readable(source, grant));
    }

    private static boolean readable(RepositoryName repository, Grant grant) {
        return grant.allows(Scope.repository(repository.value(), "pull"));
    }

    private Reply status(RegistryRequest request) {
        UploadSession session = uploads.find(request.name(), request.last());
        return progress(204, session, uploads.size(session));
    }

    private Reply patch(RegistryRequest request) {
        UploadSession session = uploads.find(request.name(), request.last());
        ByteRange chunk = request.header("Content-Range").map(ByteRange::ofChunk).orElse(null);
        return progress(202, session, uploads.append(session, request, chunk));
    }

    private Reply complete(RegistryRequest request) {
        UploadSession session = uploads.find(request.name(), request.last());
        Digest digest = Digest.parse(request.query("digest", ErrorCode.DIGEST_INVALID)
                .orElseThrow(() -> ErrorCode.DIGEST_INVALID.exception("digest missing")));
        ByteRange chunk = request.header("Content-Range").map(ByteRange::ofChunk).orElse(null);
        uploads.complete(session, request, chunk, digest);
        return created(request.name(), digest);
    }

    private Reply cancel(RegistryRequest request) {
        uploads.cancel(uploads.find(request.name(), request.last()));
        return Reply.status(204).empty();
    }

    private static Reply progress(int status, UploadSession session, long size) {
        return Reply.status(status)
                .header("Location", RegistryPath.upload(session.repository(), session.id()))
                .header("Range", "0-" + Math.max(0, size - 1))
                .header("Docker-Upload-UUID", session.id())
                .empty();
    }

    private static Reply created(RepositoryName name, Digest digest) {
        return Reply.status(201)
                .header("Location", RegistryPath.blob(name, digest))
                .header("Docker-Content-Digest", digest)
                .empty();
    }
}
