package dev.berth.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.Exchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangeRecorderTest {
    private static final String JWT = b64("{\"alg\":\"ES256\"}") + "." + b64("{\"sub\":\"alice\"}") + ".c2lnbmF0dXJl";

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void redactsSecretsByDefault() throws IOException {
        List<Exchange> seen = new ArrayList<>();
        Scripted server = new Scripted(r -> Scripted.response(r, 307, "", "Set-Cookie", "session=abc",
                "Location", "https://s3.example/blob?X-Amz-Signature=deadbeef"));
        Request request = Request.get(URI.create("https://s3.example/blob?X-Amz-Signature=deadbeef&X-Amz-Date=1&other=2"))
                .withHeader("Authorization", "Bearer " + JWT).withHeader("Cookie", "a=b");
        Scripted.chain(new ExchangeRecorder(seen::add, false), server).execute(request);

        Exchange e = seen.getFirst();
        assertThat(e.uri()).hasToString("https://s3.example/blob?X-Amz-Signature=REDACTED&X-Amz-Date=1&other=2");
        assertThat(e.requestHeaders().get("Authorization")).containsExactly(
                "Bearer " + JWT.substring(0, JWT.lastIndexOf('.')) + ".<redacted>");
        assertThat(e.requestHeaders().get("Cookie")).containsExactly("<redacted>");
        assertThat(e.responseHeaders().get("Set-Cookie")).containsExactly("<redacted>");
        assertThat(e.status()).isEqualTo(307);
        assertThat(e.failure()).isEmpty();
        assertThat(server.requests.getFirst().headers().firstValue("Authorization")).as("the wire is untouched")
                .contains("Bearer " + JWT);
    }

    @Test
    void redactsBasicAndOpaqueTokensEntirely() {
        assertThat(ExchangeRecorder.redactHeader("Authorization", "Basic dXNlcjpwdw==")).isEqualTo("Basic <redacted>");
        assertThat(ExchangeRecorder.redactHeader("authorization", "Bearer opaque-token")).isEqualTo("Bearer <redacted>");
        assertThat(ExchangeRecorder.redactHeader("Authorization", "garbage")).isEqualTo("<redacted>");
        assertThat(ExchangeRecorder.redactHeader("WWW-Authenticate", "Bearer realm=\"x\"")).isEqualTo("Bearer realm=\"x\"");
    }

    @Test
    void revealsWhenAsked() throws IOException {
        List<Exchange> seen = new ArrayList<>();
        Scripted server = new Scripted(r -> Scripted.response(r, 200, ""));
        Scripted.chain(new ExchangeRecorder(seen::add, true), server)
                .execute(Request.get(URI.create("https://r.example/?token=x")).withHeader("Authorization", "Basic abc"));
        assertThat(seen.getFirst().requestHeaders().get("Authorization")).containsExactly("Basic abc");
        assertThat(seen.getFirst().uri()).hasToString("https://r.example/?token=x");
    }

    @Test
    void reportsFailuresAndSurvivesBadListeners() {
        List<Exchange> seen = new ArrayList<>();
        Scripted broken = new Scripted(r -> {
            throw new IOException("connection reset");
        });
        assertThatThrownBy(() -> Scripted.chain(new ExchangeRecorder(seen::add, false), broken)
                .execute(Request.get(URI.create("https://r.example/")))).isInstanceOf(IOException.class);
        assertThat(seen.getFirst().status()).isZero();
        assertThat(seen.getFirst().failure()).hasValueSatisfying(f -> assertThat(f).contains("connection reset"));

        Scripted ok = new Scripted(r -> Scripted.response(r, 200, ""));
        ExchangeRecorder throwing = new ExchangeRecorder(e -> {
            throw new IllegalStateException("listener bug");
        }, false);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Scripted.chain(throwing, ok)
                .execute(Request.get(URI.create("https://r.example/"))))).isNull();
    }
}
