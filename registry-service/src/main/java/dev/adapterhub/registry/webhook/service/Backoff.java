package dev.adapterhub.registry.webhook.service;

import java.time.Duration;
import java.util.Random;

/**
 * When to try a failed delivery again: the initial delay doubled per attempt, up to the maximum, with up to 20%
 * jitter either way so that many deliveries failing together do not retry together; never earlier than the
 * receiver's {@code Retry-After}.
 */
public final class Backoff {

    private Backoff() {
    }

    /**
     * @param attempts   attempts made so far (1 after the first failure)
     * @param retryAfter what the receiver asked for, or null
     */
    public static Duration next(int attempts, Duration initial, Duration max, Duration retryAfter, Random random) {
        long base = initial.toMillis();
        long delay = attempts >= 31 ? max.toMillis() : Math.min(max.toMillis(), base << Math.max(0, attempts - 1));
        double jitter = 0.8 + 0.4 * random.nextDouble();
        long jittered = Math.max(1, Math.round(delay * jitter));
        if (retryAfter != null && retryAfter.toMillis() > jittered) {
            return Duration.ofMillis(Math.min(retryAfter.toMillis(), Math.max(max.toMillis(), jittered)));
        }
        return Duration.ofMillis(jittered);
    }
}
