package dev.berth.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetryInterceptorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final List<Duration> waits = new ArrayList<>();

    private RetryInterceptor retry(int attempts, Duration maxWait) {
        return new RetryInterceptor(attempts, Duration.ofMillis(100), maxWait, waits::add, CLOCK);
    }

    private static Request get() {
        return Request.get(URI.create("https://r.example/v2/"));
    }

    @Test
    void retries429AfterRetryAfter() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        Scripted server = new Scripted(r -> calls.incrementAndGet() < 3
                ? Scripted.response(r, 429, "", "Retry-After", "2") : Scripted.response(r, 200, "ok"));
        Response response = Scripted.chain(retry(5, Duration.ofSeconds(30)), server).execute(get());
        assertThat(response.status()).isEqualTo(200);
        assertThat(server.requests).hasSize(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void backsOffExponentiallyWithoutRetryAfter() throws IOException {
        Scripted server = new Scripted(r -> Scripted.response(r, 503, ""));
        Response response = Scripted.chain(retry(4, Duration.ofSeconds(30)), server).execute(get());
        assertThat(response.status()).as("the last answer is returned").isEqualTo(503);
        assertThat(server.requests).hasSize(4);
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0).toMillis()).isBetween(100L, 125L);
        assertThat(waits.get(1).toMillis()).isBetween(200L, 250L);
        assertThat(waits.get(2).toMillis()).isBetween(400L, 500L);
    }

    @Test
    void givesUpAtOnceWhenTheWaitIsTooLong() throws IOException {
        Scripted server = new Scripted(r -> Scripted.response(r, 429, "", "Retry-After", "3600"));
        Response response = Scripted.chain(retry(5, Duration.ofSeconds(30)), server).execute(get());
        assertThat(response.status()).isEqualTo(429);
        assertThat(server.requests).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void neverRetries5xxOfNonIdempotentRequests() throws IOException {
        Scripted server = new Scripted(r -> Scripted.response(r, 500, ""));
        Request post = get().withMethod("POST", Body.NONE);
        assertThat(Scripted.chain(retry(5, Duration.ofSeconds(30)), server).execute(post).status()).isEqualTo(500);
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void retries429OfPostsButNotUnreplayableBodies() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        Scripted server = new Scripted(r -> calls.incrementAndGet() == 1
                ? Scripted.response(r, 429, "") : Scripted.response(r, 202, ""));
        Request post = get().withMethod("POST", Body.NONE);
        assertThat(Scripted.chain(retry(5, Duration.ofSeconds(30)), server).execute(post).status()).isEqualTo(202);

        Scripted refusing = new Scripted(r -> Scripted.response(r, 429, ""));
        Request once = get().withMethod("PATCH", new Body.Stream(() -> null, 1, false));
        assertThat(Scripted.chain(retry(5, Duration.ofSeconds(30)), refusing).execute(once).status()).isEqualTo(429);
        assertThat(refusing.requests).hasSize(1);
    }

    @Test
    void retriesBrokenConnectionsOfIdempotentRequestsOnly() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        Scripted flaky = new Scripted(r -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("connection reset");
            }
            return Scripted.response(r, 200, "");
        });
        assertThat(Scripted.chain(retry(5, Duration.ofSeconds(30)), flaky).execute(get()).status()).isEqualTo(200);
        assertThat(flaky.requests).hasSize(3);

        Scripted broken = new Scripted(r -> {
            throw new ConnectException("refused");
        });
        assertThatThrownBy(() -> Scripted.chain(retry(3, Duration.ofSeconds(30)), broken).execute(get().withMethod("POST", Body.NONE)))
                .isInstanceOf(ConnectException.class);
        assertThat(broken.requests).hasSize(1);

        Scripted tls = new Scripted(r -> {
            throw new SSLHandshakeException("bad certificate");
        });
        assertThatThrownBy(() -> Scripted.chain(retry(3, Duration.ofSeconds(30)), tls).execute(get()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(tls.requests).as("a bad certificate stays bad").hasSize(1);
    }

    @Test
    void readsResetTimes() {
        Instant now = CLOCK.instant();
        var headers = java.net.http.HttpHeaders.of(java.util.Map.of("ratelimit-reset", List.of("30;w=60")), (a, b) -> true);
        assertThat(RateLimits.resetAt(headers, now)).contains(now.plusSeconds(30));
        var date = java.net.http.HttpHeaders.of(java.util.Map.of("Retry-After", List.of("Thu, 01 Jan 2026 00:01:00 GMT")), (a, b) -> true);
        assertThat(RateLimits.resetAt(date, now)).contains(now.plusSeconds(60));
        var epoch = java.net.http.HttpHeaders.of(java.util.Map.of("x-ratelimit-reset", List.of("1767225700")), (a, b) -> true);
        assertThat(RateLimits.resetAt(epoch, now)).contains(Instant.ofEpochSecond(1767225700));
        var junk = java.net.http.HttpHeaders.of(java.util.Map.of("Retry-After", List.of("soon")), (a, b) -> true);
        assertThat(RateLimits.resetAt(junk, now)).isEmpty();
    }
}
