package dev.berth.server.http;

/**
 * A failure that knows its own response, for endpoints outside the registry API whose errors have
 * another shape (the token endpoint answers OAuth2's {@code {"error","error_description"}}).
 */
public interface ErrorReply {

    Reply reply();
}
