package dev.berth.client;

import dev.berth.spec.auth.Scope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A bearer token from a registry's token service (the Docker token protocol), as {@link
 * RegistryClient#fetchToken} returns it and {@link ExchangeListener#token} reports it.
 *
 * @param value the token to send as {@code Authorization: Bearer …}
 * @param realm where it came from
 * @param service the audience it was asked for
 * @param scopes the scopes asked for (the grant may be narrower: see {@link #claims()})
 * @param expiresAt {@code issued_at + expires_in}, where {@code expires_in} below 60 s counts as 60 s
 */
public record Token(String value, URI realm, String service, List<Scope> scopes, Instant issuedAt, Instant expiresAt) {
    private static final String REDACTED = "<redacted>";

    public Token {
        scopes = List.copyOf(scopes);
    }

    /** The JWT's decoded header, when the token is a JWT. */
    public Optional<String> header() {
        return part(0);
    }

    /** The JWT's decoded claims (the {@code access} claim says what was granted); not verified. */
    public Optional<String> claims() {
        return part(1);
    }

    /** This token with its value redacted: a JWT keeps header and claims, never its signature. */
    public Token redacted() {
        return new Token(redact(value), realm, service, scopes, issuedAt, expiresAt);
    }

    /** {@code eyJ….eyJ….<redacted>} for a JWT, {@code <redacted>} for anything else. */
    public static String redact(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3 && decode(parts[0]).isPresent() && decode(parts[1]).isPresent()) {
            return parts[0] + "." + parts[1] + "." + REDACTED;
        }
        return REDACTED;
    }

    private Optional<String> part(int index) {
        String[] parts = value.split("\\.", -1);
        return parts.length == 3 ? decode(parts[index]) : Optional.empty();
    }

    private static Optional<String> decode(String part) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
            return text.startsWith("{") ? Optional.of(text) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "Token[realm=" + realm + ", service=" + service + ", scopes=" + scopes + ", expiresAt=" + expiresAt
                + ", value=" + redact(value) + "]";
    }
}
