package dev.berth.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.client.Exchange;
import dev.berth.client.RegistryClient;
import dev.berth.client.RegistryClientException;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.Reference;
import dev.berth.spec.Repository;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * berth with pull-rate limits (2 manifest GETs per 2 s per address) answers 429 with
 * {@code Retry-After}: the client waits as asked and gets through; without retries it reports
 * {@code TOOMANYREQUESTS} and when the limit resets.
 */
class RateLimitRetryTest {
    private static BerthRegistry berth;
    private static Reference ref;

    @BeforeAll
    static void start() {
        berth = BerthRegistry.start("none", Map.of("rateLimit.enabled", "true", "rateLimit.anonymous", "2",
                "rateLimit.windowSeconds", "2"));
        Repository repo = Repository.parse(berth.registry() + "/limited/app");
        Digest digest = RegistryContract.push(RegistryClient.builder().build(), repo, TestImage.random(31, 100), "v1");
        ref = RegistryContract.tag(repo, "v1").withDigest(digest);
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Test
    void waitsAsToldAndGetsThrough() {
        Recorder recorder = new Recorder();
        RegistryClient client = RegistryClient.builder().listener(recorder).build();
        Instant start = Instant.now();
        for (int i = 0; i < 4; i++) {
            assertThat(client.fetchManifest(ref).digest()).isEqualTo(((Reference.ByDigest) ref).digest());
        }
        assertThat(recorder.withStatus(429)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.responseHeaders()).containsKey("retry-after");
            assertThat(e.method()).isEqualTo("GET");
        });
        long waited = recorder.withStatus(429).stream().map(Exchange::responseHeaders)
                .mapToLong(h -> Long.parseLong(h.get("retry-after").getFirst())).sum();
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(waited).minusMillis(100));
    }

    @Test
    void reportsTheResetTimeWhenNotRetrying() {
        RegistryClient client = RegistryClient.builder().maxRetries(0).build();
        RegistryClientException limited = null;
        for (int i = 0; i < 5 && limited == null; i++) {
            limited = catchThrowableOfType(RegistryClientException.class, () -> client.fetchManifest(ref));
        }
        assertThat(limited).isNotNull();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.is(ErrorCode.TOOMANYREQUESTS)).isTrue();
        assertThat(limited.retryAt()).hasValueSatisfying(at -> assertThat(at).isBetween(Instant.now(), Instant.now().plusSeconds(5)));
        assertThat(limited.getMessage()).contains("429 TOOMANYREQUESTS", "retry after");
    }
}
