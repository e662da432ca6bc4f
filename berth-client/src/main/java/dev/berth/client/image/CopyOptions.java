package dev.berth.client.image;

import dev.berth.spec.Tag;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@link ImageCopier} copies. Start from {@link #defaults()} and change what differs:
 *
 * <pre>{@code
 * CopyOptions.defaults()
 *         .withTag(Tag.parse("1.36"))                         // destination tag; default: the source's tag
 *         .withPlatforms(PlatformMatcher.parse("linux/arm64")) // or PlatformMatcher.all() for --all-platforms
 *         .withParallelism(8)
 *         .withProgress(event -> …);
 * }</pre>
 *
 * @param tag where the root goes in the destination; empty: the tag it was read by, if any
 * @param platforms the platform to pick from an index, or {@link PlatformMatcher#all()} to copy it whole
 * @param parallelism how many blobs are copied at once
 * @param progress called for each blob event, from the copying threads
 */
public record CopyOptions(Optional<Tag> tag, PlatformMatcher platforms, int parallelism, Consumer<BlobProgress> progress) {
    public static final int DEFAULT_PARALLELISM = 4;

    public CopyOptions {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(platforms, "platforms");
        Objects.requireNonNull(progress, "progress");
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException("parallelism must be 1 to 64: " + parallelism);
        }
    }

    /** The source's tag, the host's platform, {@value #DEFAULT_PARALLELISM} blobs at once, no progress. */
    public static CopyOptions defaults() {
        return new CopyOptions(Optional.empty(), PlatformMatcher.host(), DEFAULT_PARALLELISM, event -> { });
    }

    public CopyOptions withTag(Tag tag) {
        return new CopyOptions(Optional.of(tag), platforms, parallelism, progress);
    }

    public CopyOptions withPlatforms(PlatformMatcher platforms) {
        return new CopyOptions(tag, platforms, parallelism, progress);
    }

    public CopyOptions withParallelism(int parallelism) {
        return new CopyOptions(tag, platforms, parallelism, progress);
    }

    public CopyOptions withProgress(Consumer<BlobProgress> progress) {
        return new CopyOptions(tag, platforms, parallelism, progress);
    }
}
