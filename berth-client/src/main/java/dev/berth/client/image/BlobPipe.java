package dev.berth.client.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns a producer that writes into an {@link OutputStream} (such as
 * {@code RegistryClient.fetchBlob(repo, digest, out)}) into an {@link InputStream}: the producer runs on a
 * virtual thread started by the first read, and hands over chunks of at most {@value #CHUNK} bytes
 * through a queue of {@value #CHUNKS}, so at most about 1 MiB is in flight whatever the blob's size.
 *
 * <p>A producer that fails makes the read after its last chunk throw: an {@link IOException} as it is,
 * anything else wrapped in one. Closing the stream early stops the producer (its next write fails and
 * its thread is interrupted). A stream that is closed without having been read never starts the
 * producer, so a blob the destination mounts instead of uploading is never downloaded.
 */
final class BlobPipe extends InputStream {
    static final int CHUNK = 64 * 1024;
    static final int CHUNKS = 16;
    private static final byte[] END = new byte[0];

    /** What writes the content; it must not close {@code out}. */
    @FunctionalInterface
    interface Producer {
        void writeTo(OutputStream out) throws Exception;
    }

    private final Producer producer;
    private final String name;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CHUNKS);
    private volatile boolean closed;
    private volatile Throwable failure;
    private Thread thread;
    private byte[] current;
    private int position;
    private boolean ended;

    BlobPipe(String name, Producer producer) {
        this.name = name;
        this.producer = producer;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException(name + ": stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (current == null || position == current.length) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    /** Takes the next chunk; false at the end of the content. */
    private boolean next() throws IOException {
        if (ended) {
            return false;
        }
        start();
        byte[] chunk;
        try {
            chunk = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + ": interrupted");
        }
        if (chunk == END) {
            ended = true;
            Throwable failed = failure;
            if (failed instanceof IOException io) {
                throw io;
            }
            if (failed != null) {
                throw new IOException(failed.getMessage(), failed);
            }
            return false;
        }
        current = chunk;
        position = 0;
        return true;
    }

    private void start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("berth-blob-pipe").start(this::produce);
        }
    }

    private void produce() {
        ChunkWriter out = new ChunkWriter();
        try {
            producer.writeTo(out);
        } catch (Throwable t) {
            failure = t;
        }
        try {
            out.flushChunk();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        handOver(END);
    }

    /** Puts a chunk in the queue, waiting for room; gives up once the reader is gone. */
    private boolean handOver(byte[] chunk) {
        try {
            while (!closed) {
                if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Collects writes into chunks of {@link #CHUNK} bytes for the reader. */
    private final class ChunkWriter extends OutputStream {
        private byte[] buffer = new byte[CHUNK];
        private int size;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buffer.length - size);
                System.arraycopy(b, off, buffer, size, n);
                size += n;
                off += n;
                len -= n;
                if (size == buffer.length) {
                    flushChunk();
                }
            }
        }

        void flushChunk() throws IOException {
            if (size == 0) {
                return;
            }
            byte[] chunk = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
            if (!handOver(chunk)) {
                throw new InterruptedIOException(name + ": the reader stopped");
            }
            buffer = new byte[CHUNK];
            size = 0;
        }
    }
}
