package dev.berth.client.internal.auth;

import dev.berth.client.Credential;
import dev.berth.client.ExchangeListener;
import dev.berth.client.RegistryClientException;
import dev.berth.client.Token;
import dev.berth.client.internal.http.Interceptor;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.auth.Challenge;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens for registry requests, after ggcr's {@code bearer.go}.
 *
 * <ul>
 *   <li>A request to the registry's host that needs scopes gets a cached token covering them; once
 *       the registry's realm is known, a missing token is fetched before the request, not after a 401.
 *   <li>On a 401 with a {@code Bearer} challenge: the challenged scopes and the request's, then the
 *       scopes already held (new first), are asked for in one token, which is cached under that merged
 *       set, and the request is sent once more. A token obtained for this very request that is refused
 *       again ends the loop: the 401 is returned. At most {@value #MAX_RETRIES} resends.
 *   <li>The credential goes to the realm only when {@link RealmPolicy} allows it; otherwise the token
 *       is asked for anonymously and one warning says why.
 * </ul>
 */
public final class BearerAuth implements Interceptor {
    static final int MAX_RETRIES = 2;

    private final AuthStates states;
    private final TokenClient tokens;
    private final RealmPolicy realms;
    private final Warnings warnings;
    private final ExchangeListener listener;
    private final boolean reveal;
    private final Clock clock;

    public BearerAuth(AuthStates states, TokenClient tokens, RealmPolicy realms, Warnings warnings,
            ExchangeListener listener, boolean reveal, Clock clock) {
        this.states = states;
        this.tokens = tokens;
        this.realms = realms;
        this.warnings = warnings;
        this.listener = listener;
        this.reveal = reveal;
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!request.targetsRegistryHost() || request.hasHeader("Authorization")) {
            return chain.proceed(request);
        }
        AuthState state = states.of(request.registry());
        Optional<Token> token = state.covering(request.scopes(), clock.instant());
        boolean fresh = false;
        if (token.isEmpty() && state.bearer() != null && !state.basic()) {
            token = Optional.of(obtain(state, request.scopes()));
            fresh = true;
        }
        Response response = chain.proceed(authorized(request, token));
        for (int retry = 0; response.status() == 401 && retry < MAX_RETRIES; retry++) {
            Optional<Challenge> challenge = bearerChallenge(response);
            if (challenge.isEmpty() || !request.body().replayable()) {
                return response;
            }
            state.learnBearer(challenge.get());
            List<Scope> wanted = AuthState.merge(challengedScopes(challenge.get()), request.scopes());
            if (fresh && token.isPresent() && AuthState.covers(token.get().scopes(), wanted)) {
                return response; // a token made for exactly this was refused: more of the same will not help
            }
            token.ifPresent(state::invalidate);
            token = Optional.of(obtain(state, wanted));
            fresh = true;
            response.close();
            response = chain.proceed(authorized(request, token));
        }
        return response;
    }

    /** Records the registry's bearer challenge, as a 401 would. */
    public void learn(AuthState state, Challenge challenge) {
        state.learnBearer(challenge);
    }

    /** Fetches, caches and reports a token for {@code wanted} plus the scopes held. */
    public Token obtain(AuthState state, List<Scope> wanted) {
        synchronized (state) {
            Optional<Token> cached = state.covering(wanted, clock.instant());
            if (cached.isPresent()) {
                return cached.get();
            }
            Challenge challenge = state.bearer();
            URI realm = realm(challenge, state);
            List<Scope> scopes = AuthState.merge(wanted, state.held());
            RealmPolicy.Decision decision = realms.judge(state.registry(), realm);
            Optional<Credential> credential = state.credential();
            if (!decision.credentials() && credential.isPresent() && state.firstWarningFor(realm.toString())) {
                warnings.warn("not sending credentials for " + state.registry() + " to token realm " + realm + ": "
                        + decision.reason() + "; asking for an anonymous token (trust the realm host explicitly if it is genuine)");
            }
            Credential given = decision.credentials() ? credential.orElse(null) : null;
            TokenClient.Grant grant = fetch(state, realm, challenge.param("service"), scopes, given);
            if (grant.refreshToken() != null && given != null) {
                state.refreshToken(grant.refreshToken());
            }
            state.put(grant.token());
            try {
                listener.token(reveal ? grant.token() : grant.token().redacted());
            } catch (RuntimeException ignored) {
                // a listener must not break the client
            }
            return grant.token();
        }
    }

    private TokenClient.Grant fetch(AuthState state, URI realm, String service, List<Scope> scopes, Credential credential) {
        String remembered = credential == null ? null : state.refreshToken();
        String identity = credential != null && credential.hasIdentityToken() ? credential.identityToken() : null;
        if (remembered != null) {
            try {
                return tokens.fetch(realm, service, scopes, credential, remembered);
            } catch (RegistryClientException e) {
                if (e.status() != 400 && e.status() != 401) {
                    throw e;
                }
                state.refreshToken(null); // revoked or expired: log in again with what the user gave
            }
        }
        return tokens.fetch(realm, service, scopes, credential, identity);
    }

    private static URI realm(Challenge challenge, AuthState state) {
        String realm = challenge.param("realm");
        URI uri;
        try {
            uri = realm == null ? null : new URI(realm);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new RegistryClientException(401, null, state.registry() + " sent a bearer challenge with an unusable realm: "
                    + (realm == null ? "(none)" : realm), null, null);
        }
        return uri;
    }

    private static Request authorized(Request request, Optional<Token> token) {
        return token.map(t -> request.withHeader("Authorization", "Bearer " + t.value())).orElse(request);
    }

    static Optional<Challenge> bearerChallenge(Response response) {
        for (String header : response.headers().allValues("WWW-Authenticate")) {
            for (Challenge challenge : Challenge.parse(header)) {
                if (challenge.scheme().equals("bearer")) {
                    return Optional.of(challenge);
                }
            }
        }
        return Optional.empty();
    }

    private static List<Scope> challengedScopes(Challenge challenge) {
        String scope = challenge.param("scope");
        if (scope == null || scope.isBlank()) {
            return List.of();
        }
        try {
            return Scope.parseAll(List.of(scope));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }
}
