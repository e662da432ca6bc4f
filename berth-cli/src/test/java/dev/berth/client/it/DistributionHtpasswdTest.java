package dev.berth.client.it;

import dev.berth.client.RegistryClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client contract against CNCF distribution 2.8.2 with htpasswd (Basic) auth. */
class DistributionHtpasswdTest extends DistributionContract {
    @RegisterExtension
    static final PerTestClass<Distribution> distribution = PerTestClass.ifDistributionInstalled(() -> Distribution.start(dir -> {
        Path htpasswd = dir.resolve("htpasswd");
        BerthRegistry.writeHtpasswd(htpasswd, Map.of("ci", "ci-password"));
        return """
                  htpasswd:
                    realm: basic-realm
                    path: %s
                """.formatted(htpasswd);
    }));

    @Override
    Distribution distribution() {
        return distribution.get();
    }

    @Override
    RegistryClient.Builder builder() {
        return builderSignedInAs("ci", "ci-password");
    }
}
