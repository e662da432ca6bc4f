package dev.berth.client.it;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.RegistryClient;
import dev.berth.server.BerthServer;
import dev.berth.server.auth.token.SigningKey;
import dev.berth.spec.Registry;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The client contract against CNCF distribution 2.8.2 that trusts berth's token service: its challenge
 * sends the client to berth's {@code /token} (another port on the same host), whose tokens name the
 * distribution's service and are signed by the key distribution's {@code rootcertbundle} holds.
 */
class DistributionBerthTokenTest extends RegistryContract {
    static final String SERVICE = "distribution-it";
    private static BerthRegistry berth;
    private static Distribution distribution;

    @BeforeAll
    static void start() {
        if (Distribution.binary().isEmpty()) {
            return; // each test skips, loudly, in assumeAvailable()
        }
        berth = BerthRegistry.start("token", Map.of("auth.otherServices", SERVICE));
        distribution = Distribution.start("""
                  token:
                    realm: http://127.0.0.1:%d/token
                    service: %s
                    issuer: berth
                    rootcertbundle: %s
                """.formatted(berth.port(), SERVICE,
                berth.data.resolve(BerthServer.AUTH_DIRECTORY).resolve(SigningKey.CERTIFICATE_FILE)));
    }

    @AfterAll
    static void stop() {
        if (distribution != null) {
            distribution.close();
        }
        if (berth != null) {
            berth.close();
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
        return RegistryClient.builder().credentials(CredentialStore.of(Map.of(registry(),
                Credential.basic(BerthRegistry.ADMIN, BerthRegistry.ADMIN_PASSWORD))));
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
