package dev.berth.client.it;

import dev.berth.spec.Registry;

/**
 * The client contract against a CNCF distribution 2.8.2 that the subclass starts, which ignores {@code n}
 * on tag lists. Each test skips loudly where docker-registry is not installed.
 */
abstract class DistributionContract extends RegistryContract {
    abstract Distribution distribution();

    @Override
    void assumeAvailable() {
        Distribution.requireBinary();
    }

    @Override
    Registry registry() {
        return distribution().registry();
    }

    @Override
    boolean pagesTags() {
        return false;
    }
}
