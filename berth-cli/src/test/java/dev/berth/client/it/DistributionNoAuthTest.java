package dev.berth.client.it;

import dev.berth.client.RegistryClient;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client contract against CNCF distribution 2.8.2 without auth; skipped loudly without the binary. */
class DistributionNoAuthTest extends DistributionContract {
    @RegisterExtension
    static final PerTestClass<Distribution> distribution = PerTestClass.ifDistributionInstalled(() -> Distribution.start(""));

    @Override
    Distribution distribution() {
        return distribution.get();
    }

    @Override
    RegistryClient.Builder builder() {
        return RegistryClient.builder();
    }
}
