package dev.berth.server.ratelimit;

import java.time.Duration;

/** At most {@code limit} manifest pulls per {@code window}, as Docker Hub counts them. */
public record PullLimit(int limit, Duration window) {

    public PullLimit {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a pull limit needs limit >= 1 and a positive window");
        }
    }

    /** {@code 100;w=21600}, the form of the {@code ratelimit-*} headers. */
    String header(long value) {
        return value + ";w=" + window.toSeconds();
    }
}
