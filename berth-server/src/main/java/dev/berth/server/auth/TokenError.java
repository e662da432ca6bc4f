package dev.berth.server.auth;

import dev.berth.server.http.ErrorReply;
import dev.berth.server.http.Json;
import dev.berth.server.http.Reply;
import dev.berth.spec.auth.Challenge;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token endpoint failure, answered in OAuth2's shape (RFC 6749 §5.2):
 * {@code {"error":"invalid_request","error_description":"…"}}, with a Basic challenge on 401 and
 * {@code Retry-After} on 429.
 */
final class TokenError extends RuntimeException implements ErrorReply {
    private final int status;
    private final String error;
    private final Map<String, String> headers;

    private TokenError(int status, String error, String description, Map<String, String> headers) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = headers;
    }

    static TokenError invalidRequest(String description) {
        return new TokenError(400, "invalid_request", description, Map.of());
    }

    static TokenError invalidScope(String description) {
        return new TokenError(400, "invalid_scope", description, Map.of());
    }

    static TokenError unsupportedGrantType(String grantType) {
        return new TokenError(400, "unsupported_grant_type", "unsupported grant_type: " + grantType, Map.of());
    }

    /** A refresh token that is unknown, expired or revoked (400, as RFC 6749 has it). */
    static TokenError invalidGrant(String description) {
        return new TokenError(400, "invalid_grant", description, Map.of());
    }

    /** Wrong user name or password: 401 with a Basic challenge, so clients ask for credentials. */
    static TokenError unauthorized(String realm) {
        return new TokenError(401, "unauthorized", "incorrect username or password",
                Map.of("WWW-Authenticate", Challenge.basic(realm).toString()));
    }

    static TokenError throttled(long retryAfterSeconds) {
        return new TokenError(429, "too_many_requests", "too many failed logins, try again later",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    @Override
    public Reply reply() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", getMessage());
        Reply.Builder reply = Reply.status(status);
        headers.forEach(reply::header);
        return reply.json(Json.write(body));
    }
}
