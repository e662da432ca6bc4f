package dev.berth.server.http;

import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where failures become responses: a {@link RegistryException} becomes its code's
 * status and {@code {"errors":[{"code","message","detail"}]}}; anything else is a bug or an I/O fault,
 * logged with its stack and answered {@code 500 UNKNOWN} without internals.
 */
final class ErrorRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorRenderer.class);

    private ErrorRenderer() {
    }

    static Reply render(Throwable failure, String requestLine) {
        if (failure instanceof ErrorReply own) {
            return own.reply();
        }
        RegistryException error = switch (failure) {
            case RegistryException e -> e;
            default -> {
                LOG.error("{} failed", requestLine, failure);
                yield ErrorCode.UNKNOWN.exception();
            }
        };
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("code", error.code().name());
        entry.put("message", error.getMessage());
        if (error.detail() != null) {
            entry.put("detail", error.detail());
        }
        Reply.Builder reply = Reply.status(error.code().httpStatus());
        error.headers().forEach(reply::header);
        return reply.json(Json.write(Map.of("errors", List.of(entry))));
    }
}
