package dev.adapterhub.registry.client;

import java.time.Duration;

/**
 * How often an idempotent call is tried when the registry is unavailable (transport error or 5xx), and how long
 * to wait in between: {@code initialBackoff}, doubled after every try, at most {@code maxBackoff}. Calls that are
 * not idempotent are tried once whatever the policy says.
 *
 * @param attempts tries in all, at least 1
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max");
        }
    }

    /** Three tries, 250 ms then 500 ms apart. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(4));
    }

    /** One try: every failure reaches the caller at once (tests, callers with their own retry loop). */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait after the {@code failedAttempt}-th try (1-based). */
    public Duration backoff(int failedAttempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failedAttempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
