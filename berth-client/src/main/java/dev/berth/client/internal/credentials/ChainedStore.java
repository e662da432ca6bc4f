package dev.berth.client.internal.credentials;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.spec.Registry;
import java.util.List;
import java.util.Optional;

/** The first store that knows a registry answers; changes go to the first store. */
public final class ChainedStore implements CredentialStore {
    private final List<CredentialStore> stores;

    public ChainedStore(List<CredentialStore> stores) {
        if (stores.isEmpty()) {
            throw new IllegalArgumentException("no credential stores");
        }
        this.stores = List.copyOf(stores);
    }

    @Override
    public Optional<Credential> get(Registry registry) {
        for (CredentialStore store : stores) {
            Optional<Credential> found = store.get(registry);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public void store(Registry registry, Credential credential) {
        stores.getFirst().store(registry, credential);
    }

    @Override
    public void erase(Registry registry) {
        stores.getFirst().erase(registry);
    }

    @Override
    public String description() {
        return String.join(", then ", stores.stream().map(CredentialStore::description).toList());
    }
}
