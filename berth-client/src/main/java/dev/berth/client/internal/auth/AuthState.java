package dev.berth.client.internal.auth;

import dev.berth.client.Credential;
import dev.berth.client.Token;
import dev.berth.spec.Registry;
import dev.berth.spec.auth.Challenge;
import dev.berth.spec.auth.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What one client knows about authenticating to one registry: its credential (looked up once), the
 * scheme it asked for, the bearer challenge's realm and service, the tokens obtained (keyed by the
 * merged scope set they were asked for), the scopes held so far, and a refresh token to use instead
 * of the password. Token fetches for one registry are serialised on this object.
 */
public final class AuthState {
    /** A token this close to its expiry is not used any more. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);
    private static final int MAX_TOKENS = 32;
    private static final int MAX_HELD_SCOPES = 16;

    private final Registry registry;
    private final Supplier<Optional<Credential>> lookup;
    private final Map<Set<String>, Token> tokens = new LinkedHashMap<>();
    private final Set<String> warnedRealms = new HashSet<>();
    private Optional<Credential> credential;
    private Challenge bearer;
    private boolean basic;
    private List<Scope> held = List.of();
    private String refreshToken;

    AuthState(Registry registry, Supplier<Optional<Credential>> lookup) {
        this.registry = registry;
        this.lookup = lookup;
    }

    public Registry registry() {
        return registry;
    }

    public synchronized Optional<Credential> credential() {
        if (credential == null) {
            credential = lookup.get();
        }
        return credential;
    }

    public synchronized Challenge bearer() {
        return bearer;
    }

    synchronized void learnBearer(Challenge challenge) {
        bearer = challenge;
    }

    public synchronized boolean basic() {
        return basic;
    }

    synchronized void learnBasic() {
        basic = true;
    }

    synchronized List<Scope> held() {
        return held;
    }

    synchronized String refreshToken() {
        return refreshToken;
    }

    synchronized void refreshToken(String token) {
        refreshToken = token;
    }

    /** A token not about to expire whose scopes cover every one of {@code needed}. */
    synchronized Optional<Token> covering(List<Scope> needed, Instant now) {
        tokens.values().removeIf(token -> !now.isBefore(token.expiresAt().minus(EXPIRY_MARGIN)));
        for (Map.Entry<Set<String>, Token> entry : tokens.entrySet()) {
            if (covers(entry.getValue().scopes(), needed)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** Remembers a token under the merged scope set it was asked for, which become the scopes held. */
    synchronized void put(Token token) {
        if (tokens.size() >= MAX_TOKENS) {
            tokens.remove(tokens.keySet().iterator().next());
        }
        tokens.put(key(token.scopes()), token);
        held = token.scopes().size() <= MAX_HELD_SCOPES ? token.scopes() : token.scopes().subList(0, MAX_HELD_SCOPES);
    }

    /** Forgets a token the registry refused. */
    synchronized void invalidate(Token token) {
        tokens.values().removeIf(t -> t.value().equals(token.value()));
    }

    /** Whether a warning about this realm is new; each is given once per client. */
    synchronized boolean firstWarningFor(String realm) {
        return warnedRealms.add(realm);
    }

    /** The number of tokens cached, for tests. */
    public synchronized int cachedTokens() {
        return tokens.size();
    }

    static boolean covers(List<Scope> granted, List<Scope> needed) {
        for (Scope want : needed) {
            if (granted.stream().noneMatch(have -> have.covers(want))) {
                return false;
            }
        }
        return true;
    }

    /** {@code wanted} first, then what is held, merged per resource: bearer.go's "new first". */
    static List<Scope> merge(List<Scope> wanted, List<Scope> held) {
        List<Scope> all = new ArrayList<>(wanted);
        all.addAll(held);
        return Scope.merge(all);
    }

    private static Set<String> key(List<Scope> scopes) {
        Set<String> key = new TreeSet<>();
        scopes.forEach(s -> key.add(s.toString()));
        return key;
    }
}
