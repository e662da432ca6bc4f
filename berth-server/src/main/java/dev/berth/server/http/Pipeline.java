package dev.berth.server.http;

import dev.berth.server.auth.AccessController;
import dev.berth.server.ratelimit.PullRateLimiter;

/**
 * What every request passes through, in order: the route table, access control, and the pull-rate
 * limits (or {@code null} for none).
 */
public record Pipeline(Routes routes, AccessController access, PullRateLimiter limiter) {
}
