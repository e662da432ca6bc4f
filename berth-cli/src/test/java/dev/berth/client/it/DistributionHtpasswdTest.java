package dev.berth.client.it;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.RegistryClient;
import dev.berth.spec.Registry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The client contract against CNCF distribution 2.8.2 with htpasswd (Basic) auth. */
class DistributionHtpasswdTest extends RegistryContract {
    private static Distribution distribution;
    private static Path dir;

    @BeforeAll
    static void start() {
        if (Distribution.binary().isEmpty()) {
            return; // each test skips, loudly, in assumeAvailable()
        }
        dir = BerthRegistry.tempDir("distribution-htpasswd-");
        Path htpasswd = dir.resolve("htpasswd");
        BerthRegistry.writeHtpasswd(htpasswd, Map.of("ci", "ci-password"));
        distribution = Distribution.start("""
                  htpasswd:
                    realm: basic-realm
                    path: %s
                """.formatted(htpasswd));
    }

    @AfterAll
    static void stop() {
        if (distribution != null) {
            distribution.close();
        }
        if (dir != null) {
            BerthRegistry.deleteTree(dir);
        }
    }

    @Override
    void assumeAvailable() {
        Distribution.requireBinary();
    }

    @Override
    Registry registry() {
        return distribution.registry();
    }

    @Override
    RegistryClient.Builder builder() {
        return RegistryClient.builder().credentials(CredentialStore.of(Map.of(registry(), Credential.basic("ci", "ci-password"))));
    }

    @Override
    String namespace() {
        return "it";
    }

    @Override
    boolean pagesTags() {
        return false;
    }
}
