package dev.berth.server.auth;

import dev.berth.server.auth.token.InvalidTokenException;
import dev.berth.server.auth.token.TokenVerifier;
import dev.berth.server.auth.token.VerifiedToken;
import dev.berth.spec.auth.Scope;
import java.net.InetAddress;
import java.util.Set;

/**
 * Token authentication, as {@code registry-1.docker.io} does it: a request without a Bearer token, with
 * one that does not verify, or with one that lacks a needed scope gets 401 and a challenge sending the
 * client to the token service ({@code error="invalid_token"} or {@code error="insufficient_scope"}
 * when a token was sent). The token's {@code access} claim is the whole grant.
 */
public final class BearerAccess implements AccessController {
    private final TokenVerifier verifier;
    private final String realm;
    private final String service;

    public BearerAccess(TokenVerifier verifier, String realm, String service) {
        this.verifier = verifier;
        this.realm = realm;
        this.service = service;
    }

    /** Verification is computation alone, and a token once verified is cached. */
    @Override
    public boolean blocks() {
        return false;
    }

    @Override
    public Grant authorize(String authorization, InetAddress source, RequiredAccess required) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Challenges.bearer(realm, service, required, null);
        }
        VerifiedToken token;
        try {
            token = verifier.verify(authorization.substring(7).strip());
        } catch (InvalidTokenException e) {
            throw Challenges.bearer(realm, service, required, "invalid_token");
        }
        for (Scope scope : required.needed()) {
            if (!token.allows(scope)) {
                throw Challenges.bearer(realm, service, required, "insufficient_scope");
            }
        }
        Principal who = token.subject().isEmpty() ? new Principal.Anonymous() : new Principal.User(token.subject(), Set.of(), false);
        return new Grant() {
            @Override
            public Principal principal() {
                return who;
            }

            @Override
            public boolean allows(Scope scope) {
                return token.allows(scope);
            }
        };
    }
}
