package dev.berth.server.http;

import dev.berth.server.config.ConfigException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.unix.RawUnixChannelOption;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the TCP congestion control of each connection from this host, so that what berth sends over it is
 * not paced.
 *
 * <p>Pacing spreads a sender's segments out so that they do not pile up in front of a slower link. A
 * connection within one host crosses no link, but BBR, the default of some kernels, paces it all the same,
 * and halves what one loopback stream carries (iperf3 here: 1.7–2.1 GB/s under bbr, 3.5–5.2 GB/s under
 * cubic or reno). The default, reno, is the one every process may choose; with nothing lost between the
 * ends it moves what cubic does. Connections from other hosts keep the system's choice. Only Linux's
 * native transport can set it; with any other this does nothing. The README's architecture section has
 * the measurements.
 */
public final class LoopbackCongestionControl implements Handler<HttpConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackCongestionControl.class);
    /** A name the kernel could know: {@code TCP_CA_NAME_MAX} is 16 bytes with the terminating NUL. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,15}");
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CONGESTION = 13;

    private final String algorithm;
    private final byte[] name;
    /** {@code null} when {@link #algorithm} is empty: connections keep what the system gives them. */
    private final RawUnixChannelOption option;
    private volatile boolean unavailable;

    /**
     * @param algorithm a congestion control the kernel knows, or empty for the system's
     * @throws ConfigException if {@code algorithm} cannot name a congestion control
     */
    public LoopbackCongestionControl(String algorithm) {
        if (!algorithm.isEmpty() && !NAME.matcher(algorithm).matches()) {
            throw new ConfigException("http.loopbackCongestionControl must name a TCP congestion control"
                    + " (such as reno or cubic) or be empty, not '" + algorithm + "'");
        }
        this.algorithm = algorithm;
        this.name = algorithm.getBytes(StandardCharsets.US_ASCII);
        this.option = algorithm.isEmpty() ? null
                : new RawUnixChannelOption("TCP_CONGESTION", IPPROTO_TCP, TCP_CONGESTION, name.length);
    }

    @Override
    public void handle(HttpConnection connection) {
        // Vert.x has no public way to a connection's socket; ConnectionBase is the base of all of its connections.
        if (option == null || unavailable || !(connection instanceof ConnectionBase base)) {
            return;
        }
        Channel channel = base.channel();
        if (!(channel.localAddress() instanceof InetSocketAddress local)
                || !(channel.remoteAddress() instanceof InetSocketAddress remote) || !sameHost(local, remote)) {
            return;
        }
        try {
            // false: a transport that cannot set it (not Linux's native one)
            unavailable = !channel.config().setOption(option, ByteBuffer.wrap(name));
        } catch (ChannelException e) {
            unavailable = true;
            LOG.warn("http.loopbackCongestionControl: the kernel refused '{}' ({}); connections from this host keep"
                    + " the system's congestion control", algorithm, e.getMessage());
        }
    }

    /** Whether both ends are on this host: a loopback peer, or one that shares the connection's own address. */
    static boolean sameHost(InetSocketAddress local, InetSocketAddress remote) {
        InetAddress peer = remote.getAddress();
        return peer.isLoopbackAddress() || peer.equals(local.getAddress());
    }
}
