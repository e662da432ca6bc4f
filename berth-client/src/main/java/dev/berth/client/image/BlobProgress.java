package dev.berth.client.image;

import dev.berth.spec.Digest;

/**
 * What {@link ImageCopier} reports about one blob: {@link Phase#STARTED}, then {@link Phase#TRANSFERRING}
 * every 256 KiB or so, then {@link Phase#DONE}; or only {@link Phase#SKIPPED} when the destination
 * already has it. {@code size} is {@code -1} when unknown. Events for different blobs come from
 * different threads.
 */
public record BlobProgress(Digest digest, long size, long transferred, Phase phase) {

    public enum Phase { SKIPPED, STARTED, TRANSFERRING, DONE }
}
