package dev.berth.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.RegistryClientException;
import dev.berth.spec.ErrorCode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Request GET = Request.get(URI.create("https://r.example/v2/a/manifests/latest"));

    private static RegistryClientException parse(int status, String body, Map<String, List<String>> headers) {
        return ErrorResponses.exception(GET, status, java.net.http.HttpHeaders.of(headers, (a, b) -> true),
                body.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void readsTheRegistrysErrorCode() {
        RegistryClientException e = parse(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
                + "\"detail\":{\"Tag\":\"latest\"}}]}", Map.of());
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errorCode()).contains("MANIFEST_UNKNOWN");
        assertThat(e.is(ErrorCode.MANIFEST_UNKNOWN)).isTrue();
        assertThat(e.knownCode()).contains(ErrorCode.MANIFEST_UNKNOWN);
        assertThat(e.getMessage()).isEqualTo(
                "GET https://r.example/v2/a/manifests/latest: 404 MANIFEST_UNKNOWN: manifest unknown ({\"Tag\":\"latest\"})");
    }

    @Test
    void tooManyRequestsCarriesTheResetTime() {
        RegistryClientException e = parse(429, "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"too many requests\"}]}",
                Map.of("Retry-After", List.of("120")));
        assertThat(e.retryAt()).contains(NOW.plusSeconds(120));
        assertThat(e.getMessage()).contains("429 TOOMANYREQUESTS: too many requests (retry after 2026-01-01T00:02:00Z)");
    }

    @Test
    void readsOAuthErrorsAndPlainText() {
        assertThat(parse(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token expired\"}", Map.of()).getMessage())
                .endsWith("400 invalid_grant: refresh token expired");
        RegistryClientException html = parse(502, "<html>\n<body>Bad gateway</body>\n</html>", Map.of());
        assertThat(html.getMessage()).doesNotContain("\n").contains("502: <html> <body>Bad gateway</body> </html>");
        assertThat(html.errorCode()).isEmpty();
        assertThat(parse(401, "", Map.of()).getMessage()).endsWith(": 401 unauthorized");
        assertThat(parse(418, "", Map.of()).getMessage()).endsWith(": 418 unexpected status");
    }
}
