package dev.berth.client;

import java.util.Objects;

/**
 * What a user logs in to a registry with: a user name and password, or an identity token (an OAuth2
 * refresh token, which {@code docker login} stores as {@code identitytoken} and credential helpers as
 * user {@code <token>}). {@link #toString} never shows a secret.
 *
 * @param password {@code null} when only an identity token is known
 * @param identityToken {@code null} unless the registry issued one
 */
public record Credential(String username, String password, String identityToken) {
    /** The user name credential helpers store with an identity token. */
    public static final String TOKEN_USER = "<token>";

    public Credential {
        Objects.requireNonNull(username, "username");
        if (password == null && identityToken == null) {
            throw new IllegalArgumentException("a credential needs a password or an identity token");
        }
    }

    public static Credential basic(String username, String password) {
        return new Credential(username, Objects.requireNonNull(password, "password"), null);
    }

    public static Credential identityToken(String username, String token) {
        return new Credential(username == null || username.isEmpty() ? TOKEN_USER : username, null,
                Objects.requireNonNull(token, "token"));
    }

    public boolean hasIdentityToken() {
        return identityToken != null && !identityToken.isEmpty();
    }

    @Override
    public String toString() {
        return "Credential[username=" + username + (password != null ? ", password=***" : "")
                + (identityToken != null ? ", identityToken=***" : "") + "]";
    }
}
