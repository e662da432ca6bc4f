package dev.berth.client;

import dev.berth.spec.Digest;

/** What {@link RegistryClient#pushBlob} did with a blob. */
public record BlobPush(Digest digest, long size, Outcome outcome) {

    public enum Outcome {
        /** The repository had it already; nothing was sent. */
        EXISTED,
        /** Mounted from another repository of the same registry; nothing was sent. */
        MOUNTED,
        /** Uploaded. */
        UPLOADED
    }
}
