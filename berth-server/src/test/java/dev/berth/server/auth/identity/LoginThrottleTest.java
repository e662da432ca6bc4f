package dev.berth.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    LoginThrottle throttle = new LoginThrottle(LoginThrottle.Limits.defaults(), clock);

    static InetAddress ip(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void fail(int times, String user, InetAddress source) {
        for (int i = 0; i < times; i++) {
            assertThat(throttle.allowed(user, source)).as("attempt %d", i + 1).isTrue();
            throttle.failed(user, source);
        }
    }

    @Test
    void tenFailuresLockTheUserNameOutFromEveryAddress() {
        fail(9, "alice", ip("192.0.2.1"));
        assertThat(throttle.allowed("alice", ip("192.0.2.1"))).isTrue();

        throttle.failed("alice", ip("192.0.2.2"));

        assertThat(throttle.allowed("alice", ip("198.51.100.7"))).isFalse();
        assertThat(throttle.allowed("bob", ip("198.51.100.7"))).isTrue();
    }

    @Test
    void tenFailuresLockTheAddressOutForEveryUserName() {
        for (int i = 0; i < 10; i++) {
            fail(1, "user" + i, ip("192.0.2.1"));
        }

        assertThat(throttle.allowed("fresh", ip("192.0.2.1"))).isFalse();
        assertThat(throttle.allowed(null, ip("192.0.2.1"))).isFalse();
        assertThat(throttle.allowed("fresh", ip("192.0.2.2"))).isTrue();
    }

    @Test
    void ipv6AddressesCountPerSlash64() {
        for (int i = 0; i < 10; i++) {
            fail(1, "user" + i, ip("2001:db8:1:2::" + Integer.toHexString(i + 1)));
        }

        assertThat(throttle.allowed("fresh", ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(throttle.allowed("fresh", ip("2001:db8:1:3::1"))).isTrue();
        assertThat(LoginThrottle.addressKey(ip("::ffff:192.0.2.1"))).isEqualTo(LoginThrottle.addressKey(ip("192.0.2.1")));
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        fail(9, "alice", ip("192.0.2.1"));
        clock.advance(Duration.ofMinutes(5));

        fail(9, "alice", ip("192.0.2.1"));

        assertThat(throttle.allowed("alice", ip("192.0.2.1"))).isTrue();
    }

    @Test
    void aLockoutEnds() {
        fail(10, "alice", ip("192.0.2.1"));
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(throttle.allowed("alice", ip("192.0.2.9"))).isFalse();

        clock.advance(Duration.ofSeconds(1));

        assertThat(throttle.allowed("alice", ip("192.0.2.9"))).isTrue();
        assertThat(throttle.allowed("x", ip("192.0.2.1"))).isTrue();
    }

    @Test
    void retryAfterIsTheLongerRemainingLockout() {
        assertThat(throttle.retryAfter("alice", ip("192.0.2.1"))).isZero();
        fail(10, "alice", ip("192.0.2.1"));
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            throttle.failed("u" + i, ip("192.0.2.2"));
        }
        clock.advance(Duration.ofMinutes(1));

        assertThat(throttle.retryAfter("alice", ip("192.0.2.9"))).isEqualTo(Duration.ofMinutes(3));
        assertThat(throttle.retryAfter("alice", ip("192.0.2.2"))).isEqualTo(Duration.ofMinutes(4));
        assertThat(throttle.retryAfter("bob", null)).isZero();
        clock.advance(Duration.ofMinutes(4));
        assertThat(throttle.retryAfter("alice", ip("192.0.2.2"))).isZero();
    }

    @Test
    void failingOnAfterALockoutLocksAgain() {
        fail(10, "alice", null);
        clock.advance(Duration.ofMinutes(5));

        fail(10, "alice", null);

        assertThat(throttle.allowed("alice", null)).isFalse();
    }

    @Test
    void aSuccessClearsTheUserNameButNotTheAddress() {
        fail(9, "alice", ip("192.0.2.1"));
        throttle.succeeded("alice", ip("192.0.2.1"));

        fail(9, "alice", ip("192.0.2.2"));
        assertThat(throttle.allowed("alice", ip("192.0.2.3"))).as("the name's count started over").isTrue();

        throttle.failed("mallory", ip("192.0.2.1"));
        assertThat(throttle.allowed("someone", ip("192.0.2.1"))).as("the address kept its count").isFalse();
    }

    @Test
    void aSuccessDoesNotLiftALockout() {
        fail(10, "alice", ip("192.0.2.1"));

        throttle.succeeded("alice", ip("192.0.2.1"));

        assertThat(throttle.allowed("alice", ip("192.0.2.5"))).isFalse();
    }

    @Test
    void memoryIsBounded() {
        LoginThrottle small = new LoginThrottle(new LoginThrottle.Limits(3, Duration.ofMinutes(5), Duration.ofMinutes(5), 100), clock);
        for (int i = 0; i < 10_000; i++) {
            small.failed("user" + i, ip("10.0." + (i / 256 % 256) + "." + (i % 256)));
        }
        assertThat(small.tracked()).isLessThanOrEqualTo(100);

        small.failed("x".repeat(1_000_000), null);
        assertThat(small.tracked()).isLessThanOrEqualTo(100);
    }

    @Test
    void lockedOutEntriesAreEvictedLast() {
        LoginThrottle small = new LoginThrottle(new LoginThrottle.Limits(3, Duration.ofMinutes(5), Duration.ofMinutes(5), 10), clock);
        for (int i = 0; i < 3; i++) {
            small.failed("locked", null); // the least recently touched entry
        }
        for (int i = 0; i < 9; i++) {
            small.failed("user" + i, null);
        }
        assertThat(small.tracked()).isEqualTo(10);

        for (int i = 0; i < 20; i++) {
            small.failed("more" + i, null);
        }

        assertThat(small.tracked()).isLessThanOrEqualTo(10);
        assertThat(small.allowed("locked", null)).isFalse();
    }

    @Test
    void finishedEntriesAreEvictedFirst() {
        LoginThrottle small = new LoginThrottle(new LoginThrottle.Limits(3, Duration.ofMinutes(5), Duration.ofMinutes(5), 10), clock);
        for (int i = 0; i < 10; i++) {
            small.failed("user" + i, null);
        }
        clock.advance(Duration.ofMinutes(5));

        small.failed("new", null);

        assertThat(small.tracked()).isEqualTo(1);
    }

    @Test
    void nullsAreAllowedEverywhere() {
        throttle.failed(null, null);
        throttle.succeeded(null, null);
        assertThat(throttle.allowed(null, null)).isTrue();
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new LoginThrottle.Limits(0, Duration.ofMinutes(1), Duration.ofMinutes(1), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle.Limits(1, Duration.ZERO, Duration.ofMinutes(1), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
