package dev.berth.client.internal.ops;

import dev.berth.client.Token;
import dev.berth.client.internal.auth.AuthState;
import dev.berth.client.internal.auth.AuthStates;
import dev.berth.client.internal.auth.BearerAuth;
import dev.berth.client.internal.http.InterceptorChain;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.Registry;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.auth.Challenge;
import dev.berth.spec.auth.Scope;
import java.util.List;
import java.util.Optional;

/**
 * {@code berth token}: ping {@code GET /v2/} without credentials to read the registry's challenge, then
 * obtain a token for the scopes asked for, exactly as a registry request would (same realm rules, same
 * cache). A registry that answers the ping, or asks for Basic only, has no token to give.
 */
public final class TokenOps {
    private final Calls ping;
    private final AuthStates states;
    private final BearerAuth bearer;

    /** @param unauthenticated a chain without the auth layers, to see the bare challenge */
    public TokenOps(InterceptorChain unauthenticated, java.time.Clock clock, AuthStates states, BearerAuth bearer) {
        this.ping = new Calls(unauthenticated, clock);
        this.states = states;
        this.bearer = bearer;
    }

    public Optional<Token> fetch(Registry registry, List<Scope> scopes) {
        Request request = Calls.request("GET", registry, RegistryPath.base(), List.of());
        Optional<Challenge> challenge;
        try (Response response = ping.exchange(request)) {
            if (response.status() != 401) {
                if (response.successful()) {
                    return Optional.empty();
                }
                throw ping.failure(response);
            }
            challenge = response.headers().allValues("WWW-Authenticate").stream()
                    .flatMap(value -> Challenge.parse(value).stream())
                    .filter(c -> c.scheme().equals("bearer")).findFirst();
        }
        if (challenge.isEmpty()) {
            return Optional.empty();
        }
        AuthState state = states.of(registry);
        bearer.learn(state, challenge.get());
        return Optional.of(bearer.obtain(state, scopes));
    }
}
