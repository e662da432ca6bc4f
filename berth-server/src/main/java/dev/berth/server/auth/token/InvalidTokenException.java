package dev.berth.server.auth.token;

/**
 * A bearer token that must not be honoured. The message is a short reason fit for a log line and a
 * challenge's {@code error_description} ("token expired", "untrusted signing key"); it never quotes
 * the token or the internals of the failure, which stay in the cause, if any, for server logs. No
 * stack trace is recorded: anyone can provoke this exception, as often as they like.
 */
public final class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
    }

    public InvalidTokenException(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
