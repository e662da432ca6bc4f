package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link BerthServer#start} refuses to start with, and the listen addresses it understands. */
class BerthServerConfigTest {
    @TempDir
    Path data;

    @Test
    void listenAddresses() {
        assertThat(BerthServer.parseAddr("127.0.0.1:5000")).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(BerthServer.parseAddr(":5000")).isEqualTo(URI.create("http://0.0.0.0:5000"));
        assertThat(BerthServer.parseAddr("[::1]:5000").getHost()).isEqualTo("[::1]");
        assertThat(BerthServer.parseAddr("localhost:0").getPort()).isZero();
    }

    @Test
    void anAddressWithoutAPortIsRefused() {
        for (String addr : new String[] {"127.0.0.1", "127.0.0.1:", "127.0.0.1:5000/v2", "http://127.0.0.1:5000", "a b:5000"}) {
            assertThatThrownBy(() -> start(Map.of("http.addr", addr))).as(addr)
                    .isInstanceOf(ConfigException.class).hasMessage("http.addr must be HOST:PORT, not '" + addr + "'");
        }
    }

    @Test
    void everyInterfaceWithoutAuthenticationIsRefusedUnlessAllowed() {
        assertThatThrownBy(() -> start(Map.of("http.addr", "0.0.0.0:0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("refusing to listen on 0.0.0.0 without authentication");
        try (BerthServer server = start(Map.of("http.addr", "0.0.0.0:0", "http.allowPublicWithoutAuth", "true"))) {
            assertThat(server.port()).isPositive();
        }
    }

    @Test
    void anUnknownHostIsNamed() {
        assertThatThrownBy(() -> start(Map.of("http.addr", "no-such-host.invalid:5000")))
                .isInstanceOf(ConfigException.class).hasMessage("unknown host in http.addr: no-such-host.invalid");
    }

    @Test
    void anUnknownAuthModeIsRefused() {
        assertThatThrownBy(() -> start(Map.of("auth.mode", "ldap")))
                .isInstanceOf(ConfigException.class).hasMessage("auth.mode must be none, htpasswd or token, not 'ldap'");
    }

    @Test
    void htpasswdModeNeedsItsFile() {
        assertThatThrownBy(() -> start(Map.of("auth.mode", "htpasswd")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.mode=htpasswd needs an htpasswd file; " + data.resolve("htpasswd") + " does not exist");
    }

    @Test
    void tokenModeChecksLifetimeAndAlgorithm() {
        assertThatThrownBy(() -> start(Map.of("auth.mode", "token", "auth.tokenLifetimeSeconds", "59")))
                .isInstanceOf(ConfigException.class).hasMessage("auth.tokenLifetimeSeconds must be at least 60");
        assertThatThrownBy(() -> start(Map.of("auth.mode", "token", "auth.algorithm", "HS256")))
                .isInstanceOf(ConfigException.class).hasMessage("auth.algorithm must be ES256 or RS256, not 'HS256'");
    }

    @Test
    void aCongestionControlNameNoKernelCouldHoldIsRefused() {
        for (String name : new String[] {"Reno", "re no", "../cubic", "sixteen_chars_xx"}) {
            assertThatThrownBy(() -> start(Map.of("http.loopbackCongestionControl", name))).as(name)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("http.loopbackCongestionControl must name a TCP congestion control (such as reno or cubic)"
                            + " or be empty, not '" + name + "'");
        }
    }

    @Test
    void aRefusalLeavesNothingRunning() {
        for (int i = 0; i < 3; i++) { // a leaked pool or event loop would keep the database locked or the port taken
            assertThatThrownBy(() -> start(Map.of("auth.mode", "token", "auth.algorithm", "none")))
                    .isInstanceOf(ConfigException.class);
        }
        try (BerthServer server = start(Map.of())) {
            assertThat(server.url()).startsWith("http://127.0.0.1:");
        }
    }

    private BerthServer start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("http.addr", "127.0.0.1:0", "storage.path", data.toString()));
        all.putAll(settings);
        BerthConfig config = ConfigLoader.load(null, Map.of(), all);
        return BerthServer.start(config);
    }
}
