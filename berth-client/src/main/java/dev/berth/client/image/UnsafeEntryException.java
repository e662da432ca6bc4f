package dev.berth.client.image;

/**
 * A tar entry that would write, link or delete outside the directory being extracted into: a path
 * with {@code ..} that climbs out, an absolute path, a path through a symbolic link, a link whose
 * target escapes. Raised before anything is written for that entry.
 */
public class UnsafeEntryException extends InvalidImageException {
    private static final long serialVersionUID = 1L;
    private final String entry;

    public UnsafeEntryException(String entry, String reason) {
        super("refusing tar entry " + TarEntry.quote(entry) + ": " + reason);
        this.entry = entry;
    }

    /** The entry's name as the tar has it. */
    public String entry() {
        return entry;
    }
}
