package dev.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.BerthServer;
import dev.berth.server.RequiredProgram;
import dev.berth.server.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections from this host get {@code http.loopbackCongestionControl}. What the kernel holds for berth's
 * end of a connection is read back with {@code ss}, as an operator would.
 */
class LoopbackCongestionControlTest {
    private static final Path SS = Path.of("/usr/bin/ss");

    @TempDir
    Path data;

    @BeforeEach
    void requireSs() {
        RequiredProgram.require(SS, "iproute2", "the check of berth's connections' congestion control");
    }

    @Test
    void aConnectionFromThisHostIsReno() throws Exception {
        try (BerthServer server = start(Map.of())) {
            assertThat(congestionControlOfAConnectionTo(server)).isEqualTo("reno");
        }
    }

    @Test
    void emptyKeepsTheSystemsChoice() throws Exception {
        try (BerthServer server = start(Map.of("http.loopbackCongestionControl", ""))) {
            assertThat(congestionControlOfAConnectionTo(server)).isEqualTo(systemDefault());
        }
    }

    @Test
    void anAlgorithmTheKernelDoesNotHaveLeavesTheSystemsChoice() throws Exception {
        try (BerthServer server = start(Map.of("http.loopbackCongestionControl", "no_such_cc"))) {
            assertThat(congestionControlOfAConnectionTo(server)).isEqualTo(systemDefault());
            assertThat(congestionControlOfAConnectionTo(server)).as("a second connection, after the refusal").isEqualTo(systemDefault());
        }
    }

    @Test
    void sameHostIsALoopbackPeerOrOneWithTheConnectionsOwnAddress() throws IOException {
        assertThat(LoopbackCongestionControl.sameHost(at("127.0.0.1"), at("127.0.0.1"))).isTrue();
        assertThat(LoopbackCongestionControl.sameHost(at("127.0.0.1"), at("127.0.0.2"))).isTrue();
        assertThat(LoopbackCongestionControl.sameHost(at("::1"), at("::1"))).isTrue();
        assertThat(LoopbackCongestionControl.sameHost(at("10.0.0.5"), at("10.0.0.5"))).isTrue();
        assertThat(LoopbackCongestionControl.sameHost(at("10.0.0.5"), at("10.0.0.6"))).isFalse();
        assertThat(LoopbackCongestionControl.sameHost(at("2001:db8::5"), at("2001:db8::6"))).isFalse();
        assertThat(LoopbackCongestionControl.sameHost(at("127.0.0.1"), at("192.0.2.1"))).isFalse();
    }

    /** An address from its literal: no name lookup happens. */
    private static InetSocketAddress at(String literal) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(literal), 5000);
    }

    /** Opens a connection, has one request answered on it (so berth has set it up), and asks ss about berth's end. */
    private static String congestionControlOfAConnectionTo(BerthServer server) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] status = in.readNBytes("HTTP/1.1 200".length());
            assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            String filter = "( sport = :" + server.port() + " and dport = :" + socket.getLocalPort() + " )";
            Process ss = new ProcessBuilder(SS.toString(), "-tinH", "state", "established", filter).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ss.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ss.exitValue()).as(out).isZero();
            // the second line of ss -i starts with the congestion control: "\t reno wscale:7,7 rto:201 ..."
            List<String> lines = out.lines().toList();
            assertThat(lines).as(out).hasSize(2);
            return lines.get(1).strip().split("\\s+")[0];
        }
    }

    private static String systemDefault() throws IOException {
        return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip();
    }

    private BerthServer start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("http.addr", "127.0.0.1:0", "storage.path", data.toString()));
        all.putAll(settings);
        return BerthServer.start(ConfigLoader.load(null, Map.of(), all));
    }
}
