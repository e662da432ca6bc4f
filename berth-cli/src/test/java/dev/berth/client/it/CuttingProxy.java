package dev.berth.client.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay to a real registry that breaks one connection: the first time a connection has relayed
 * more than {@code cutAfter} bytes from the server, both sides are closed mid-response, as a dropped
 * network would. Every other byte passes unchanged. Not a fake server: the registry answers everything.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final long cutAfter;
    private final AtomicBoolean cut = new AtomicBoolean();
    final AtomicLong connections = new AtomicLong();

    CuttingProxy(int upstreamPort, long cutAfter) {
        this.upstreamPort = upstreamPort;
        this.cutAfter = cutAfter;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("cutting-proxy").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    boolean hasCut() {
        return cut.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> pump(client, server, false));
                Thread.ofVirtual().start(() -> pump(server, client, true));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean downstream) {
        long relayed = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (downstream && relayed + n > cutAfter && cut.compareAndSet(false, true)) {
                    out.write(buffer, 0, (int) Math.max(0, cutAfter - relayed));
                    out.flush();
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
                relayed += n;
            }
        } catch (IOException ignored) {
            // the other side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
