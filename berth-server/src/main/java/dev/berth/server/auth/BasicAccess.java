package dev.berth.server.auth;

import dev.berth.server.auth.identity.LoginThrottle;
import dev.berth.server.auth.identity.UserDirectory;
import dev.berth.spec.auth.BasicCredentials;
import dev.berth.spec.auth.Scope;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Basic authentication against a user directory (an htpasswd file), as distribution's {@code htpasswd}
 * mode: no credentials or wrong ones get 401 with a Basic challenge, unless the rules let anonymous
 * callers do what the request needs; a known user the policy does not allow gets 403 {@code DENIED}.
 * Failed logins are throttled per user and per address.
 */
public final class BasicAccess implements AccessController {
    private final UserDirectory users;
    private final AccessPolicy policy;
    private final LoginThrottle throttle;
    private final String realm;

    public BasicAccess(UserDirectory users, AccessPolicy policy, LoginThrottle throttle, String realm) {
        this.users = users;
        this.policy = policy;
        this.throttle = throttle;
        this.realm = realm;
    }

    @Override
    public Grant authorize(String authorization, InetAddress source, RequiredAccess required) {
        // The rules may let anyone do this (public pull). /v2/ needs no scope, yet must challenge anonymous
        // callers: that is how clients learn they should log in.
        if (authorization == null && !required.needed().isEmpty() && allowedAll(new Principal.Anonymous(), required)) {
            return grant(new Principal.Anonymous());
        }
        BasicCredentials credentials = BasicCredentials.parse(authorization)
                .orElseThrow(() -> Challenges.basic(realm, required));
        if (!throttle.allowed(credentials.user(), source)) {
            throw Challenges.throttled(throttle.retryAfter(credentials.user(), source).toSeconds());
        }
        Optional<Principal.User> user = users.authenticate(credentials.user(), credentials.password());
        if (user.isEmpty()) {
            throttle.failed(credentials.user(), source);
            throw Challenges.basic(realm, required);
        }
        throttle.succeeded(credentials.user(), source);
        Principal who = user.get();
        if (!allowedAll(who, required)) {
            throw Challenges.denied(required);
        }
        return grant(who);
    }

    private boolean allowedAll(Principal who, RequiredAccess required) {
        return required.needed().stream().allMatch(scope -> allowed(who, scope));
    }

    private Grant grant(Principal who) {
        return new Grant() {
            @Override
            public Principal principal() {
                return who;
            }

            @Override
            public boolean allows(Scope scope) {
                return allowed(who, scope);
            }
        };
    }

    private boolean allowed(Principal who, Scope scope) {
        return policy.grant(who, List.of(scope)).getFirst().covers(scope);
    }
}
