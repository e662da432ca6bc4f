package dev.berth.client.internal.auth;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.spec.Registry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link AuthState} per registry, created on first use. A credential store that fails (a broken
 * helper, an unreadable file) is reported as a warning and the registry is used anonymously.
 */
public final class AuthStates {
    private final CredentialStore store;
    private final Warnings warnings;
    private final Map<Registry, AuthState> states = new ConcurrentHashMap<>();

    public AuthStates(CredentialStore store, Warnings warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    public AuthState of(Registry registry) {
        return states.computeIfAbsent(registry, r -> new AuthState(r, () -> lookup(r)));
    }

    private Optional<Credential> lookup(Registry registry) {
        try {
            return store.get(registry);
        } catch (RuntimeException e) {
            warnings.warn("cannot read credentials for " + registry + ", continuing without: " + e.getMessage());
            return Optional.empty();
        }
    }
}
