package dev.berth.server.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A request body as a blocking {@link InputStream}, for handlers that run on virtual threads. The
 * request stays in fetch mode: the event loop hands over at most {@link #WINDOW} buffers ahead of the
 * reader, so a fast client is held back by TCP rather than by memory, whatever the body's size.
 *
 * <p>Created on the event loop while the request is paused; read from one other thread.
 */
final class RequestBody extends InputStream {
    /**
     * Sixteen (about 1 MiB of socket reads): with 8, the reader hashing and writing an upload waited on
     * the event loop more often (bench e1 alone, interleaved: 1.91 and 1.67 against 1.64 and 1.55).
     */
    private static final int WINDOW = 16;
    private static final Object END = new Object();

    private final HttpServerRequest request;
    private final Context context;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** What the reader took from {@link #queue} in one go, to be read before it waits again. */
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private int consumed;
    private Buffer current;
    private int position;
    private boolean ended;
    private boolean started;

    RequestBody(HttpServerRequest request, Context context) {
        this.request = request;
        this.context = context;
        request.handler(queue::add);
        request.endHandler(v -> queue.add(END));
        request.exceptionHandler(queue::add);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.length() - position);
        current.getBytes(position, position + n, into, offset);
        position += n;
        return n;
    }

    /**
     * The next chunk of the body as it arrived, or {@code null} at its end: lets a caller copy to a
     * file without an intermediate array.
     */
    Buffer readChunk() throws IOException {
        if (!fill()) {
            return null;
        }
        Buffer chunk = position == 0 ? current : current.getBuffer(position, current.length());
        current = null;
        return chunk;
    }

    private boolean fill() throws IOException {
        if (current != null && position < current.length()) {
            return true;
        }
        if (ended) {
            return false;
        }
        if (!started) {
            started = true;
            context.runOnContext(v -> request.fetch(WINDOW));
        }
        Object next = ready.poll();
        if (next == null) {
            try {
                ready.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the request body");
            }
            queue.drainTo(ready);
            next = ready.poll();
        }
        if (next == END) {
            ended = true;
            current = null;
            return false;
        }
        if (next instanceof Throwable t) {
            ended = true;
            throw new IOException("request body failed: " + t.getMessage(), t);
        }
        // Ask for more half a window at a time: each request wakes the event loop up.
        if (++consumed == WINDOW / 2) {
            consumed = 0;
            context.runOnContext(v -> request.fetch(WINDOW / 2));
        }
        current = (Buffer) next;
        position = 0;
        return current.length() > 0 || fill();
    }

    /** Whether the whole body was read. */
    boolean isConsumed() {
        return ended;
    }
}
