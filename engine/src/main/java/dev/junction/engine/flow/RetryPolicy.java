package dev.junction.engine.flow;

import java.time.Duration;
import java.util.Set;

/**
 * How often and when a failed step attempt is tried again. {@code retryOn} empty means "the codes
 * that are retryable by default" (see {@code ErrorCode#retryableByDefault()}); otherwise it
 * names the error codes that are retried.
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialDelay,
        Duration maxDelay,
        double multiplier,
        double jitter,
        Set<String> retryOn) {
    /** Defaults for {@code http} and {@code call}: 3 attempts, 1 s doubling up to 5 min, 20 % jitter. */
    public static final RetryPolicy REMOTE_DEFAULT =
            new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.2, Set.of());
    /** Defaults for every other step: one attempt. */
    public static final RetryPolicy NONE =
            new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.2, Set.of());

    public RetryPolicy {
        retryOn = Set.copyOf(retryOn);
    }

    /** Whether an attempt that failed with {@code code} may be tried again (attempt budget aside). */
    public boolean retries(String code, boolean retryableByDefault) {
        return retryOn.isEmpty() ? retryableByDefault : retryOn.contains(code);
    }

    /**
     * The pause before attempt {@code nextAttempt} (2 = first retry): exponential from
     * {@code initialDelay}, capped at {@code maxDelay}, spread by ±{@code jitter} using
     * {@code random} in [0, 1). A far side's {@code Retry-After} wins when it is longer.
     */
    public Duration delayBefore(int nextAttempt, double random, Duration retryAfter) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
        double capped = Math.min(base, maxDelay.toMillis());
        double spread = capped * jitter * (2 * random - 1);
        long millis = Math.max(0, Math.round(capped + spread));
        Duration computed = Duration.ofMillis(millis);
        return retryAfter != null && retryAfter.compareTo(computed) > 0 ? retryAfter : computed;
    }
}
