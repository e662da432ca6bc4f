package dev.berth.client.internal.credentials;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.spec.Registry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Credentials held in memory only. */
public final class MemoryStore implements CredentialStore {
    private final Map<Registry, Credential> credentials;

    public MemoryStore(Map<Registry, Credential> initial) {
        this.credentials = new ConcurrentHashMap<>(initial);
    }

    @Override
    public Optional<Credential> get(Registry registry) {
        return Optional.ofNullable(credentials.get(registry));
    }

    @Override
    public void store(Registry registry, Credential credential) {
        credentials.put(registry, credential);
    }

    @Override
    public void erase(Registry registry) {
        credentials.remove(registry);
    }

    @Override
    public String description() {
        return "memory";
    }
}
