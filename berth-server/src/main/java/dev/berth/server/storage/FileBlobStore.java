package dev.berth.server.storage;

import dev.berth.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Blobs as files under a root directory (layout in {@link StoragePaths}). A blob reaches its final
 * name only by an atomic rename of a file that was fsynced first, and the directory is fsynced after,
 * so a crash leaves either the whole blob or none.
 */
public final class FileBlobStore implements BlobStore {
    private final StoragePaths paths;

    /** Opens the store, creating its directories. */
    public FileBlobStore(Path root) {
        this.paths = new StoragePaths(root);
        try {
            Files.createDirectories(paths.uploads());
        } catch (IOException e) {
            throw new StorageException("cannot create storage under " + root, e);
        }
    }

    @Override
    public BlobSource source(Digest digest, long size) {
        return new BlobSource.LocalFile(paths.blob(digest), size);
    }

    @Override
    public byte[] read(Digest digest) {
        try {
            return Files.readAllBytes(paths.blob(digest));
        } catch (IOException e) {
            throw new StorageException("cannot read " + digest, e);
        }
    }

    @Override
    public boolean delete(Digest digest) {
        try {
            return Files.deleteIfExists(paths.blob(digest));
        } catch (IOException e) {
            throw new StorageException("cannot delete " + digest, e);
        }
    }

    @Override
    public UploadWriter upload(String id) {
        try {
            Path file = paths.upload(id);
            return new FileUploadWriter(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new StorageException("cannot open upload " + id, e);
        }
    }

    @Override
    public InputStream readUpload(String id) {
        try {
            return Files.newInputStream(paths.upload(id));
        } catch (NoSuchFileException e) {
            return InputStream.nullInputStream();
        } catch (IOException e) {
            throw new StorageException("cannot read upload " + id, e);
        }
    }

    @Override
    public boolean cancelUpload(String id) {
        try {
            return Files.deleteIfExists(paths.upload(id));
        } catch (IOException e) {
            throw new StorageException("cannot delete upload " + id, e);
        }
    }

    /**
     * Renames a durable file to its final name, then makes the rename durable: the directory holding
     * the name is synced, and so is its parent when the directory itself is new.
     */
    private static void moveIntoPlace(Path source, Path target) throws IOException {
        Path dir = target.getParent();
        boolean newDirectory = !Files.isDirectory(dir);
        if (newDirectory) {
            Files.createDirectories(dir);
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(source);
            return;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("storage root must be on one filesystem", e);
        }
        syncDirectory(dir);
        if (newDirectory) {
            syncDirectory(dir.getParent());
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Appends to an upload file. Each time the file grows past a multiple of {@value #FLUSH_EVERY} bytes
     * it starts writing it to disk in the background ({@code fdatasync} of the file on a virtual
     * thread, through a descriptor of its own), so that the sync a commit needs finds little left to
     * write: the disk works while the network delivers the rest, also across the requests of a
     * chunked upload.
     */
    private final class FileUploadWriter implements UploadWriter {
        private static final long FLUSH_EVERY = 16L * 1024 * 1024;

        private final Path file;
        private final FileChannel channel;
        private long flushedUpTo;
        private Thread flushing;

        FileUploadWriter(Path file, FileChannel channel) throws IOException {
            this.file = file;
            this.channel = channel;
            channel.position(channel.size());
            flushedUpTo = channel.position() / FLUSH_EVERY;
        }

        @Override
        public long size() {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new StorageException("cannot stat upload " + file.getFileName(), e);
            }
        }

        @Override
        public void write(ByteBuffer data) {
            long end;
            try {
                while (data.hasRemaining()) {
                    channel.write(data);
                }
                end = channel.position();
            } catch (IOException e) {
                throw new StorageException("cannot append to upload " + file.getFileName(), e);
            }
            if (end / FLUSH_EVERY > flushedUpTo && (flushing == null || !flushing.isAlive())) {
                flushedUpTo = end / FLUSH_EVERY;
                flushing = Thread.ofVirtual().name("berth-flush").start(this::flushQuietly);
            }
        }

        @Override
        public void truncate(long size) {
            try {
                channel.truncate(size);
                channel.position(size);
            } catch (IOException e) {
                throw new StorageException("cannot truncate upload " + file.getFileName(), e);
            }
        }

        @Override
        public void commit(Digest digest) {
            try {
                channel.force(true);
                channel.close();
                Path target = paths.blob(digest);
                if (Files.exists(target)) {
                    Files.deleteIfExists(file);
                } else {
                    moveIntoPlace(file, target);
                }
            } catch (IOException e) {
                throw new StorageException("cannot commit upload " + file.getFileName() + " as " + digest, e);
            }
        }

        /**
         * A head start only: a failure here (the upload committed or cancelled meanwhile, included)
         * shows again in the sync that counts, at commit.
         */
        private void flushQuietly() {
            try (FileChannel own = FileChannel.open(file, StandardOpenOption.READ)) {
                own.force(false);
            } catch (IOException e) {
                // see above
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new StorageException("cannot close upload " + file.getFileName(), e);
            }
        }
    }
}
