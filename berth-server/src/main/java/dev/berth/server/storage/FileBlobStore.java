package dev.berth.server.storage;

import com.sun.nio.file.ExtendedOpenOption;
import dev.berth.spec.Digest;
import java.io.EOFException;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blobs as files under a root directory (layout in {@link StoragePaths}). A blob reaches its final
 * name only by an atomic rename of a file that was fsynced first, and the directory is fsynced after,
 * so a crash leaves either the whole blob or none.
 *
 * <p>Uploads are written with {@code O_DIRECT} where the filesystem allows it (probed when the store
 * opens; tmpfs, for one, does not): the bytes go from an aligned staging buffer to the disk without a
 * copy into the page cache, which was the largest single cost of a large push. Elsewhere, and when
 * more uploads run at once than there are staging buffers, they go through the page cache.
 */
public final class FileBlobStore implements BlobStore {
    /** Bytes a direct upload gathers before it writes them: large writes keep the disk busy. */
    private static final int STAGING_BYTES = 1 << 20;
    /** Staging buffers at most, in direct memory (which the JDK limits to the heap's size by default). */
    private static final int MAX_STAGING_BUFFERS = 8;

    private final StoragePaths paths;
    /** The alignment {@code O_DIRECT} needs here, or 0 when uploads go through the page cache. */
    private final int directAlignment;
    private final BlockingQueue<ByteBuffer> idleStaging = new ArrayBlockingQueue<>(MAX_STAGING_BUFFERS);
    private final AtomicInteger stagingBuffers = new AtomicInteger();

    /** Opens the store, creating its directories. */
    public FileBlobStore(Path root) {
        this(root, true);
    }

    /** A store whose uploads never use {@code O_DIRECT} when {@code directWrites} is false. */
    FileBlobStore(Path root, boolean directWrites) {
        this.paths = new StoragePaths(root);
        try {
            Files.createDirectories(paths.uploads());
        } catch (IOException e) {
            throw new StorageException("cannot create storage under " + root, e);
        }
        this.directAlignment = directWrites ? directAlignment(paths.uploads()) : 0;
    }

    /**
     * The block size of the filesystem holding {@code dir} if a file there can be written with
     * {@code O_DIRECT}, else 0.
     */
    private static int directAlignment(Path dir) {
        Path probe = dir.resolve(".direct-probe");
        try {
            int block = (int) Math.max(4096, Files.getFileStore(dir).getBlockSize());
            if (STAGING_BYTES % block != 0) {
                return 0;
            }
            ByteBuffer aligned = ByteBuffer.allocateDirect(2 * block).alignedSlice(block).limit(block);
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                channel.write(aligned, 0);
            }
            return block;
        } catch (IOException | RuntimeException e) {
            return 0;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // a leftover probe is harmless: the next start writes over it
            }
        }
    }

    /** Whether uploads bypass the page cache. */
    boolean writesDirect() {
        return directAlignment > 0;
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
        Path file = paths.upload(id);
        ByteBuffer staging = directAlignment > 0 ? takeStaging() : null;
        try {
            return staging == null
                    ? new FileUploadWriter(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
                    : openDirect(file, staging);
        } catch (IOException e) {
            giveBack(staging);
            throw new StorageException("cannot open upload " + id, e);
        } catch (RuntimeException e) {
            giveBack(staging);
            throw e;
        }
    }

    private UploadWriter openDirect(Path file, ByteBuffer staging) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new DirectUploadWriter(file, channel, staging);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void giveBack(ByteBuffer staging) {
        if (staging != null) {
            idleStaging.offer(staging);
        }
    }

    /** An idle staging buffer, a new one while there are fewer than the maximum, or {@code null}. */
    private ByteBuffer takeStaging() {
        ByteBuffer idle = idleStaging.poll();
        if (idle != null) {
            return idle;
        }
        if (stagingBuffers.getAndIncrement() < MAX_STAGING_BUFFERS) {
            return ByteBuffer.allocateDirect(STAGING_BYTES + directAlignment).alignedSlice(directAlignment);
        }
        stagingBuffers.decrementAndGet();
        return null;
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

    /** Moves a durable, closed upload file under {@code digest}, or drops it when the blob is already there. */
    private void publish(Path file, Digest digest) throws IOException {
        Path target = paths.blob(digest);
        if (Files.exists(target)) {
            Files.deleteIfExists(file);
        } else {
            moveIntoPlace(file, target);
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
     * Appends to an upload file through the page cache. Each time the file grows past a multiple of
     * {@value #FLUSH_EVERY} bytes it starts writing it to disk in the background ({@code fdatasync} of
     * the file on a virtual thread, through a descriptor of its own), so that the sync a commit needs
     * finds little left to write: the disk works while the network delivers the rest, also across the
     * requests of a chunked upload.
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
        public void flush() {
            // written to the file already
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
                publish(file, digest);
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

    /**
     * Appends to an upload file with {@code O_DIRECT}. Bytes gather in an aligned staging buffer, which
     * goes to the disk whole. The file holds the upload up to {@link #stagedAt}, a multiple of the
     * alignment; the staging buffer holds the rest, and writes it through the page cache when the writer
     * is flushed or closed. The next writer of the upload reads that partial block back into staging: a
     * chunked upload may stop anywhere.
     */
    private final class DirectUploadWriter implements UploadWriter {
        private final Path file;
        /** Through the page cache: the partial last block, truncation, the final sync. */
        private final FileChannel channel;
        /** Opened when the first full staging buffer is written: a small upload never needs it. */
        private FileChannel direct;
        private final ByteBuffer staging;
        /** Where in the file the staging buffer's first byte belongs. */
        private long stagedAt;
        /** How many of the staged bytes the file holds already. */
        private int inFile;
        private boolean closed;

        DirectUploadWriter(Path file, FileChannel channel, ByteBuffer staging) throws IOException {
            this.file = file;
            this.channel = channel;
            this.staging = staging;
            stage(channel.size());
        }

        /** Puts the staging buffer at the block holding {@code size}, with the file's bytes before it. */
        private void stage(long size) throws IOException {
            stagedAt = size - size % directAlignment;
            inFile = (int) (size - stagedAt);
            staging.clear().limit(inFile);
            while (staging.hasRemaining()) {
                if (channel.read(staging, stagedAt + staging.position()) < 0) {
                    throw new EOFException("upload " + file.getFileName() + " is shorter than " + size + " bytes");
                }
            }
            staging.limit(staging.capacity());
        }

        @Override
        public long size() {
            return stagedAt + staging.position();
        }

        @Override
        public void write(ByteBuffer data) {
            try {
                while (data.hasRemaining()) {
                    int n = Math.min(data.remaining(), staging.remaining());
                    staging.put(staging.position(), data, data.position(), n);
                    staging.position(staging.position() + n);
                    data.position(data.position() + n);
                    if (!staging.hasRemaining()) {
                        writeFullStaging();
                    }
                }
            } catch (IOException e) {
                throw new StorageException("cannot append to upload " + file.getFileName(), e);
            }
        }

        /** Writes the full staging buffer to the disk with {@code O_DIRECT}, and starts it anew after. */
        private void writeFullStaging() throws IOException {
            if (direct == null) {
                direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            }
            staging.flip();
            while (staging.hasRemaining()) {
                direct.write(staging, stagedAt + staging.position());
            }
            stagedAt += staging.capacity();
            inFile = 0;
            staging.clear();
        }

        @Override
        public void flush() {
            try {
                writeStaged();
            } catch (IOException e) {
                throw new StorageException("cannot write upload " + file.getFileName(), e);
            }
        }

        /** Writes the staged bytes the file does not hold yet, through the page cache. */
        private void writeStaged() throws IOException {
            ByteBuffer pending = staging.slice(inFile, staging.position() - inFile);
            while (pending.hasRemaining()) {
                channel.write(pending, stagedAt + inFile + pending.position());
            }
            inFile = staging.position();
        }

        @Override
        public void truncate(long size) {
            try {
                writeStaged();
                channel.truncate(size);
                stage(size);
            } catch (IOException e) {
                throw new StorageException("cannot truncate upload " + file.getFileName(), e);
            }
        }

        @Override
        public void commit(Digest digest) {
            try {
                writeStaged();
                channel.force(true);
                close();
                publish(file, digest);
            } catch (IOException e) {
                throw new StorageException("cannot commit upload " + file.getFileName() + " as " + digest, e);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            FileChannel directIfOpened = direct;
            try (channel; directIfOpened) {
                writeStaged();
            } catch (IOException e) {
                throw new StorageException("cannot close upload " + file.getFileName(), e);
            } finally {
                giveBack(staging);
            }
        }
    }
}
