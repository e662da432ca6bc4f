package dev.berth.server.auth.identity;

import dev.berth.server.auth.Principal;
import java.util.Optional;

/**
 * Where users and their passwords live: the {@link UserStore} table or an {@link HtpasswdFile}. Both
 * answer from the current state of their source on every call, so a removed user, a changed password
 * or a changed group counts from the next request on.
 *
 * <pre>{@code
 * Principal who = users.authenticate(basic.user(), basic.password())
 *         .<Principal>map(u -> u)
 *         .orElseThrow(() -> unauthorized());
 * }</pre>
 */
public interface UserDirectory {

    /**
     * The user {@code name}, with their groups as they are now, when {@code password} is theirs.
     * Empty for an unknown user or a wrong password alike, in about the same time (a bcrypt check
     * runs either way, unless this same name and password matched the same stored hash before).
     * Never throws for bad input: a {@code null} or malformed name is an unknown user.
     */
    Optional<Principal.User> authenticate(String name, String password);

    /**
     * The user {@code name} as they are now, without a password: for re-checking a principal carried
     * by a refresh token or a session.
     */
    Optional<Principal.User> lookup(String name);
}
