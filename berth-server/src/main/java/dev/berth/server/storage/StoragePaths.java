package dev.berth.server.storage;

import dev.berth.spec.Digest;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The on-disk layout of {@link FileBlobStore}, in one place:
 *
 * <pre>
 * &lt;root&gt;/
 * ├── blobs/
 * │   └── sha256/
 * │       └── ab/
 * │           └── abcdef…          committed blob, immutable, named by its digest
 * └── uploads/
 *     └── 2f0c…-…                  upload in progress, appended in place, renamed into blobs/ on commit
 * </pre>
 *
 * Every path is built from a parsed {@link Digest} or a checked upload id, so no request can name a
 * file outside the root.
 */
final class StoragePaths {
    private static final Pattern UPLOAD_ID = Pattern.compile("[a-zA-Z0-9-]{1,64}");

    private final Path root;

    StoragePaths(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path blob(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    Path upload(String id) {
        if (!UPLOAD_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid upload id");
        }
        return uploads().resolve(id);
    }

    Path uploads() {
        return root.resolve("uploads");
    }
}
