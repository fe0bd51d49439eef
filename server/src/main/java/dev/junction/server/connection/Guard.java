package dev.junction.server.connection;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.flow.Durations;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A connection's rate limit (token bucket, Bucket4j) and circuit breaker (resilience4j), per node.
 * {@code limits}: {@code {rateLimit: {requests, per}, circuitBreaker: {failureThreshold, openFor}}}.
 * The breaker counts only failures worth retrying (the far side is down or overloaded); after
 * {@code failureThreshold} of them in a row it opens and calls fail fast with {@code CIRCUIT_OPEN},
 * then one probe is let through after {@code openFor} (half-open).
 */
final class Guard {
    static final int DEFAULT_FAILURES = 5;
    static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);

    private final Bucket bucket;
    private final long requests;
    private final Duration per;
    private final CircuitBreaker breaker;
    private final Duration openFor;

    private Guard(Bucket bucket, long requests, Duration per, CircuitBreaker breaker, Duration openFor) {
        this.bucket = bucket;
        this.requests = requests;
        this.per = per;
        this.breaker = breaker;
        this.openFor = openFor;
    }

    /** Validates {@code limits}; throws naming the field. */
    static Guard of(String name, Map<?, ?> limits) throws ConnectorException {
        Bucket bucket = null;
        long requests = 0;
        Duration per = null;
        for (Object key : limits.keySet()) {
            if (!"rateLimit".equals(key) && !"circuitBreaker".equals(key)) {
                throw invalid(
                        "limits." + key, "limits.%s: unknown; expected rateLimit or circuitBreaker".formatted(key));
            }
        }
        if (limits.get("rateLimit") instanceof Map<?, ?> rate) {
            if (!(rate.get("requests") instanceof Integer n) || n < 1) {
                throw invalid("limits.rateLimit.requests", "limits.rateLimit.requests: a whole number ≥ 1");
            }
            per = duration(rate.get("per"), "limits.rateLimit.per", Duration.ofSeconds(1));
            requests = n;
            Duration period = per;
            bucket = Bucket.builder()
                    .addLimit(limit -> limit.capacity(n).refillGreedy(n, period))
                    .build();
        } else if (limits.containsKey("rateLimit")) {
            throw invalid("limits.rateLimit", "limits.rateLimit: an object {requests, per}");
        }
        int failures = DEFAULT_FAILURES;
        Duration openFor = DEFAULT_OPEN_FOR;
        if (limits.get("circuitBreaker") instanceof Map<?, ?> cb) {
            if (cb.containsKey("failureThreshold")) {
                if (!(cb.get("failureThreshold") instanceof Integer n) || n < 1 || n > 1000) {
                    throw invalid(
                            "limits.circuitBreaker.failureThreshold",
                            "limits.circuitBreaker.failureThreshold: a whole number from 1 to 1000");
                }
                failures = n;
            }
            openFor = duration(cb.get("openFor"), "limits.circuitBreaker.openFor", DEFAULT_OPEN_FOR);
        } else if (limits.containsKey("circuitBreaker")) {
            throw invalid("limits.circuitBreaker", "limits.circuitBreaker: an object {failureThreshold, openFor}");
        }
        CircuitBreaker breaker = CircuitBreaker.of(
                name,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(failures)
                        .minimumNumberOfCalls(failures)
                        .failureRateThreshold(100)
                        .waitDurationInOpenState(openFor)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .build());
        return new Guard(bucket, requests, per, breaker, openFor);
    }

    /** Waits for a token up to {@code maxWait} and for the breaker's permission; else fails retryably. */
    void acquire(Duration maxWait) throws ConnectorException {
        try {
            breaker.acquirePermission();
        } catch (CallNotPermittedException e) {
            throw new ConnectorException(
                    "CIRCUIT_OPEN",
                    "the connection's circuit breaker is open after repeated failures; calls resume with a probe"
                            + " after " + openFor,
                    true,
                    openFor,
                    null,
                    null);
        }
        if (bucket != null) {
            boolean got;
            try {
                got = bucket.asBlocking().tryConsume(1, maxWait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                got = false;
            }
            if (!got) {
                breaker.releasePermission();
                throw new ConnectorException(
                        "RATE_LIMITED",
                        "the connection's rate limit (%d per %s) left no capacity within %s"
                                .formatted(requests, per, maxWait),
                        true,
                        per,
                        null,
                        null);
            }
        }
    }

    void success(long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    /** Records the outcome of a failed call: only retryable failures count against the breaker. */
    void failure(long nanos, ConnectorException e) {
        if (e.retryable()) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS); // the far side answered; it is up
        }
    }

    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("circuit", breaker.getState().name().toLowerCase(java.util.Locale.ROOT));
        out.put("recentFailures", breaker.getMetrics().getNumberOfFailedCalls());
        if (bucket != null) {
            out.put(
                    "rateLimit",
                    Map.of("requests", requests, "per", per.toString(), "available", bucket.getAvailableTokens()));
        }
        return out;
    }

    private static Duration duration(Object value, String field, Duration fallback) throws ConnectorException {
        if (value == null) {
            return fallback;
        }
        Duration d = value instanceof String s ? Durations.parse(s).orElse(null) : null;
        if (d == null || d.isZero() || d.isNegative()) {
            throw invalid(field, field + ": a positive duration such as 1s or 5m");
        }
        return d;
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectionAuth.FieldException("LIMITS_INVALID", field, message);
    }
}
