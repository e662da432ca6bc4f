package dev.berth.client.it;

import dev.berth.client.RegistryClient;
import dev.berth.server.BerthServer;
import dev.berth.server.auth.token.SigningKey;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client contract against CNCF distribution 2.8.2 that trusts berth's token service: its challenge
 * sends the client to berth's {@code /token} (another port on the same host), whose tokens name the
 * distribution's service and are signed by the key distribution's {@code rootcertbundle} holds.
 */
class DistributionBerthTokenTest extends DistributionContract {
    static final String SERVICE = "distribution-it";

    @RegisterExtension
    @Order(1)
    static final PerTestClass<BerthRegistry> berth = PerTestClass.ifDistributionInstalled(
            () -> BerthRegistry.start("token", Map.of("auth.otherServices", SERVICE)));

    @RegisterExtension
    @Order(2)
    static final PerTestClass<Distribution> distribution = PerTestClass.ifDistributionInstalled(
            () -> Distribution.start(trustingTokensOf(berth.get())));

    /** Distribution's auth section: clients get tokens from {@code tokenService}, whose signing certificate it trusts. */
    private static String trustingTokensOf(BerthRegistry tokenService) {
        return """
                  token:
                    realm: http://127.0.0.1:%d/token
                    service: %s
                    issuer: berth
                    rootcertbundle: %s
                """.formatted(tokenService.port(), SERVICE,
                tokenService.data.resolve(BerthServer.AUTH_DIRECTORY).resolve(SigningKey.CERTIFICATE_FILE));
    }

    @Override
    Distribution distribution() {
        return distribution.get();
    }

    @Override
    RegistryClient.Builder builder() {
        return builderSignedInAs(BerthRegistry.ADMIN, BerthRegistry.ADMIN_PASSWORD);
    }
}
