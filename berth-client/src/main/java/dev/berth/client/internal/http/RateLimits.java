package dev.berth.client.internal.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a refused request may be tried again: {@code Retry-After} (seconds or an HTTP date, RFC 9110
 * §10.2.3), else the rate-limit headers registries send ({@code ratelimit-reset} in seconds, as the
 * IETF draft and GitHub's {@code x-ratelimit-reset} as an epoch second).
 */
public final class RateLimits {
    private static final long EPOCH_THRESHOLD = 1_000_000_000L;

    private RateLimits() {
    }

    public static Optional<Instant> resetAt(HttpHeaders headers, Instant now) {
        Optional<Instant> retryAfter = headers.firstValue("Retry-After").flatMap(value -> retryAfter(value, now));
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        for (String name : new String[] {"ratelimit-reset", "x-ratelimit-reset"}) {
            Optional<Instant> reset = headers.firstValue(name).flatMap(value -> seconds(value, now));
            if (reset.isPresent()) {
                return reset;
            }
        }
        return Optional.empty();
    }

    static Optional<Instant> retryAfter(String value, Instant now) {
        Optional<Instant> delta = seconds(value, now);
        if (delta.isPresent()) {
            return delta;
        }
        try {
            return Optional.of(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A number of seconds from now, or an epoch second when it is that large; {@code 30;w=60} reads 30. */
    private static Optional<Instant> seconds(String value, Instant now) {
        String number = value.strip();
        int semicolon = number.indexOf(';');
        if (semicolon >= 0) {
            number = number.substring(0, semicolon).strip();
        }
        if (number.isEmpty() || number.length() > 12 || !number.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        long seconds = Long.parseLong(number);
        return Optional.of(seconds >= EPOCH_THRESHOLD ? Instant.ofEpochSecond(seconds) : now.plus(Duration.ofSeconds(seconds)));
    }
}
