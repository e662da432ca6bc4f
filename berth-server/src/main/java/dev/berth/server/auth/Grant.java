package dev.berth.server.auth;

import dev.berth.spec.auth.Scope;

/**
 * What an authorised request may do: who sent it and which scopes it holds. Handlers ask it about
 * access beyond what the route itself required, such as reading the source of a cross-repository
 * mount.
 */
public interface Grant {

    Principal principal();

    /** Whether the request holds every action of {@code scope}. */
    boolean allows(Scope scope);

    /** Everything is allowed: no authentication configured. */
    static Grant everything() {
        return new Grant() {
            @Override
            public Principal principal() {
                return new Principal.Anonymous();
            }

            @Override
            public boolean allows(Scope scope) {
                return true;
            }
        };
    }
}
