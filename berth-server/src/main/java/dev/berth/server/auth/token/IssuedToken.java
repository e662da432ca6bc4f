package dev.berth.server.auth.token;

import java.time.Duration;
import java.time.Instant;

/**
 * A signed token and what the token endpoint reports about it ({@code issued_at}, {@code expires_in}).
 * {@link #toString()} leaves the token out: it is a credential.
 */
public record IssuedToken(String token, Instant issuedAt, Duration expiresIn) {

    @Override
    public String toString() {
        return "IssuedToken[issuedAt=" + issuedAt + ", expiresIn=" + expiresIn + "]";
    }
}
