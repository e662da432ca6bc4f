package dev.berth.client.it;

import dev.berth.spec.Registry;

/** The client contract against a berth that the subclass starts; berth pages tag lists. */
abstract class BerthContract extends RegistryContract {
    abstract BerthRegistry berth();

    @Override
    Registry registry() {
        return berth().registry();
    }

    @Override
    boolean pagesTags() {
        return true;
    }
}
