package dev.berth.client.image;

import dev.berth.spec.Digest;
import dev.berth.spec.Identifier;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Images in memory, for copier tests: a source and a destination that record what happens. */
class MemoryImages implements ImageSource, ImageDestination {
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<Digest, Manifest> manifests = new ConcurrentHashMap<>();
    final Map<String, Digest> tags = new ConcurrentHashMap<>();
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final Map<Digest, AtomicInteger> blobOpens = new ConcurrentHashMap<>();
    volatile long putDelayMillis;

    Digest addBlob(byte[] content) {
        Digest digest = Digest.sha256(content);
        blobs.put(digest, content);
        return digest;
    }

    Manifest addManifest(byte[] content, String mediaType, String tag) {
        Manifest manifest = Manifests.parse(content, mediaType);
        manifests.put(Digest.sha256(content), manifest);
        manifests.put(manifest.digest(), manifest);
        if (tag != null) {
            tags.put(tag, manifest.digest());
        }
        return manifest;
    }

    @Override
    public Manifest manifest(Identifier identifier) throws IOException {
        Digest digest = switch (identifier) {
            case Tag tag -> tags.get(tag.value());
            case Digest d -> d;
        };
        Manifest manifest = digest == null ? null : manifests.get(digest);
        if (manifest == null) {
            throw new ImageNotFoundException("no manifest " + identifier);
        }
        return manifest;
    }

    @Override
    public BlobStream blob(Digest digest) throws IOException {
        byte[] content = blobs.get(digest);
        if (content == null) {
            throw new ImageNotFoundException("no blob " + digest);
        }
        blobOpens.computeIfAbsent(digest, d -> new AtomicInteger()).incrementAndGet();
        return new BlobStream(new ByteArrayInputStream(content), content.length);
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return blobs.containsKey(digest);
    }

    @Override
    public void putBlob(BlobInfo blob, BlobOpener content) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            if (putDelayMillis > 0) {
                Thread.sleep(putDelayMillis);
            }
            byte[] bytes;
            try (InputStream in = content.open()) {
                bytes = in.readAllBytes();
            }
            blobs.put(blob.digest(), bytes);
            events.add("blob " + blob.digest());
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        } finally {
            concurrent.decrementAndGet();
        }
    }

    @Override
    public void putManifest(Manifest manifest) {
        manifests.put(manifest.digest(), manifest);
        events.add("manifest " + manifest.digest());
    }

    @Override
    public void putRoot(Manifest manifest, Optional<Tag> tag) {
        manifests.put(manifest.digest(), manifest);
        tag.ifPresent(t -> tags.put(t.value(), manifest.digest()));
        events.add("root " + manifest.digest() + tag.map(t -> " " + t).orElse(""));
    }

    @Override
    public void close() {
    }
}
