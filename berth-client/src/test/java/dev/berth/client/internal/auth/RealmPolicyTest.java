package dev.berth.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.Registry;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RealmPolicyTest {
    private static final RealmPolicy POLICY = new RealmPolicy(Set.of("trusted.example", "10.9.9.9:8443"),
            PublicSuffixList.bundled());

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource({
        // the registry's own host, any port
        "ghcr.io,                 https://ghcr.io/token,                          true",
        "quay.io,                 https://quay.io:8443/v2/auth,                   true",
        "127.0.0.1:5000,          http://127.0.0.1:5000/token,                    true",
        "[::1]:5000,              http://[::1]:5001/token,                        true",
        // the same registrable domain
        "docker.io,               https://auth.docker.io/token,                   true",
        "registry.gitlab.com,     https://gitlab.com/jwt/auth,                    true",
        "a.registry.example.com,  https://auth.example.com/token,                 true",
        // loopback to loopback is one machine
        "127.0.0.1:5000,          http://localhost:6000/token,                    true",
        "localhost:5000,          http://127.0.0.2:5000/token,                    true",
        // trusted explicitly
        "registry.example.org,    https://trusted.example/token,                  true",
        "registry.example.org,    https://10.9.9.9:8443/token,                    true",
        // foreign domains, sibling sites on a public suffix, addresses
        "docker.io,               https://auth.evil.example/token,                false",
        "ghcr.io,                 https://ghcr.io.evil.example/token,             false",
        "alice.github.io,         https://bob.github.io/token,                    false",
        "registry.example.com,    https://example.co.uk/token,                    false",
        "registry.example.com,    http://127.0.0.1:8080/token,                    false",
        "registry.example.com,    http://localhost/token,                         false",
        "registry.example.com,    http://10.0.0.5/token,                          false",
        "registry.example.com,    http://169.254.169.254/latest/meta-data,        false",
        "registry.example.com,    http://[fd00::1]/token,                         false",
        "10.0.0.5:5000,           http://10.0.0.6:5000/token,                     false",
        "127.0.0.1:5000,          http://192.0.2.2:5000/token,                    false",
        "registry.example.org,    https://10.9.9.9:9999/token,                    false",
        "com.example,             https://evil.example/token,                     false",
    })
    void decides(String registry, String realm, boolean credentials) {
        RealmPolicy.Decision decision = POLICY.judge(Registry.parse(registry), URI.create(realm));
        assertThat(decision.credentials()).as(decision.reason()).isEqualTo(credentials);
        assertThat(decision.reason()).isNotBlank();
    }
}
