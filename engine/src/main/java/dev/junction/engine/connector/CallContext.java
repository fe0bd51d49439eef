package dev.junction.engine.connector;

import java.time.Duration;

/**
 * Who is calling and how long they wait: the run and step (for logs and idempotency keys) and the
 * time left for this attempt.
 */
public record CallContext(String runId, String stepId, String idempotencyKey, Duration timeout) {
    public static CallContext test(Duration timeout) {
        return new CallContext(null, null, null, timeout);
    }
}
