package dev.berth.client.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * Tries again, as ggcr's {@code retry.go} does, after a 429, a 500, 502, 503 or 504, or a broken
 * connection: with exponential backoff from {@code initialBackoff} (doubling, plus up to a quarter of
 * jitter), or after what {@code Retry-After} asks. At most {@code maxAttempts} tries; a wait longer
 * than {@code maxWait} is not waited out: the refusal is returned at once, so the caller can report
 * when to come back.
 *
 * <p>5xx answers and broken connections are retried only for idempotent requests, since the server
 * may have acted on the first; a 429 means it did not, so any request is retried. A body that cannot
 * be sent again is never retried.
 */
public final class RetryInterceptor implements Interceptor {
    /** Waits; replaced in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxWait;
    private final Sleeper sleeper;
    private final Clock clock;

    public RetryInterceptor(int maxAttempts, Duration initialBackoff, Duration maxWait, Sleeper sleeper, Clock clock) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoff = initialBackoff;
        this.maxWait = maxWait;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= maxAttempts || !request.body().replayable();
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                if (last || !request.idempotent() || !retryable(e)) {
                    throw e;
                }
                pause(backoff(attempt));
                continue;
            }
            if (last || !retryable(response.status(), request)) {
                return response;
            }
            Optional<Instant> resetAt = RateLimits.resetAt(response.headers(), clock.instant());
            Duration wait = resetAt.map(at -> Duration.between(clock.instant(), at)).filter(d -> !d.isNegative())
                    .orElse(backoff(attempt));
            if (wait.compareTo(maxWait) > 0) {
                return response;
            }
            response.close();
            pause(wait);
        }
    }

    private static boolean retryable(int status, Request request) {
        return status == 429 || (status == 500 || status == 502 || status == 503 || status == 504) && request.idempotent();
    }

    /** Connection resets and timeouts; not TLS failures (a bad certificate stays bad), not interrupts. */
    private static boolean retryable(IOException e) {
        return !(e instanceof InterruptedIOException) && !(e instanceof SSLException);
    }

    private Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 16);
        long jitter = base <= 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 4 + 1);
        return Duration.ofMillis(Math.min(base + jitter, maxWait.toMillis()));
    }

    private void pause(Duration wait) throws IOException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
