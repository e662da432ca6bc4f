package dev.berth.server.meta;

/**
 * Thrown by {@link CachingMetadataStore#memoryOnly()} when an answer is not in memory: the caller
 * must ask again where it may block. Carries no stack trace, since it is control flow on the hot path.
 */
public final class NotInMemory extends RuntimeException {
    static final NotInMemory INSTANCE = new NotInMemory();

    private NotInMemory() {
        super("not in memory", null, false, false);
    }

    /** The shared instance, for other caches that answer from memory only. */
    public static NotInMemory instance() {
        return INSTANCE;
    }
}
