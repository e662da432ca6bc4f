package dev.berth.client.image;

import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A skopeo {@code dir:} layout as a source, for the fixtures only held that way (Docker schema 2,
 * signed schema 1, manifest lists): {@code manifest.json} is the root (any tag names it), blobs are
 * files named by their hex digest, child manifests {@code <hex>.manifest.json}.
 */
record SkopeoDir(Path dir) implements ImageSource {

    @Override
    public Manifest manifest(Identifier identifier) throws IOException {
        Path file = dir.resolve("manifest.json");
        if (identifier instanceof Digest digest && Files.exists(dir.resolve(digest.hex() + ".manifest.json"))) {
            file = dir.resolve(digest.hex() + ".manifest.json");
        }
        return Manifests.parse(Files.readAllBytes(file), null);
    }

    @Override
    public BlobStream blob(Digest digest) throws IOException {
        Path file = dir.resolve(digest.hex());
        if (!Files.exists(file)) {
            throw new ImageNotFoundException("no blob " + digest);
        }
        return new BlobStream(Files.newInputStream(file), Files.size(file));
    }
}
