package dev.berth.server.auth.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What tells one version of a file from the next without reading it: modification time, size and
 * identity (an editor's save by atomic rename gives a new inode even within one timestamp tick).
 */
record FileStamp(FileTime modified, long size, Object fileKey) {
    /** Where there is no file. */
    static final FileStamp MISSING = new FileStamp(FileTime.fromMillis(0), -1, null);

    /** The stamp of {@code file} now, or {@link #MISSING}. */
    static FileStamp of(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            return MISSING;
        }
    }
}
