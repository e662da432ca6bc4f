package dev.berth.client.it;

import dev.berth.client.RegistryClient;
import dev.berth.spec.Registry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The client contract against CNCF distribution 2.8.2 without auth; skipped loudly without the binary. */
class DistributionNoAuthTest extends RegistryContract {
    private static Distribution distribution;

    @BeforeAll
    static void start() {
        if (Distribution.binary().isEmpty()) {
            return; // each test skips, loudly, in assumeAvailable()
        }
        distribution = Distribution.start("");
    }

    @AfterAll
    static void stop() {
        if (distribution != null) {
            distribution.close();
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
        return RegistryClient.builder();
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
