package dev.berth.client.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.RegistryClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a failed response into a {@link RegistryClientException} with a one-line message: the
 * registry's {@code {"errors":[{"code","message"}]}}, an OAuth2 {@code {"error","error_description"}},
 * or the start of whatever else came back. Only the first 64 KiB of the body are read.
 */
public final class ErrorResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private ErrorResponses() {
    }

    /** Consumes and closes {@code response}. */
    public static RegistryClientException exception(Response response, Clock clock) {
        byte[] body = response.prefix(MAX_BODY);
        response.close();
        return exception(response.request(), response.status(), response.headers(), body, clock.instant());
    }

    static RegistryClientException exception(Request request, int status, java.net.http.HttpHeaders headers, byte[] body, Instant now) {
        String code = null;
        String message = null;
        try {
            JsonNode root = body.length == 0 ? null : JSON.readTree(body);
            JsonNode first = root == null ? null : root.path("errors").path(0);
            if (first != null && first.isObject()) {
                code = text(first.get("code"));
                message = text(first.get("message"));
                String detail = detail(first.get("detail"));
                if (detail != null && (message == null || !message.contains(detail))) {
                    message = message == null ? detail : message + " (" + detail + ")";
                }
            } else if (root != null && root.hasNonNull("error")) {
                code = text(root.get("error"));
                message = text(root.get("error_description"));
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        if (code == null && message == null && body.length > 0 && !request.method().equals("HEAD")) {
            message = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        }
        Optional<Instant> retryAt = status == 429 || status == 503 ? RateLimits.resetAt(headers, now) : Optional.empty();
        StringBuilder line = new StringBuilder(request.method()).append(' ').append(request.uri()).append(": ").append(status);
        if (code != null) {
            line.append(' ').append(code);
        }
        if (message != null && !message.isEmpty()) {
            line.append(": ").append(message);
        } else if (code == null) {
            line.append(' ').append(reason(status));
        }
        retryAt.ifPresent(at -> line.append(" (retry after ").append(at).append(')'));
        return new RegistryClientException(status, code, line.toString(), retryAt.orElse(null), null);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isTextual() ? node.asText() : node.toString();
    }

    private static String detail(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode() && node.isEmpty()) {
            return null;
        }
        String text = text(node);
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 416 -> "range not satisfiable";
            case 429 -> "too many requests";
            case 500 -> "internal server error";
            case 502 -> "bad gateway";
            case 503 -> "service unavailable";
            default -> "unexpected status";
        };
    }
}
