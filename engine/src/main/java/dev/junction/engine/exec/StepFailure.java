package dev.junction.engine.exec;

import dev.junction.engine.error.JunctionException;
import java.time.Duration;

/**
 * A step attempt failed. {@code code} is a stable code ({@code ErrorCode} names, or a flow's own
 * code from a {@code fail} step); {@code output} keeps what the far side answered, if anything.
 */
public final class StepFailure extends RuntimeException {
    private final String code;
    private final boolean retryable;
    private final Duration retryAfter;
    private final Object output;

    public StepFailure(String code, String message, boolean retryable, Duration retryAfter, Object output) {
        super(message, null, false, false);
        this.code = code;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.output = output;
    }

    static StepFailure of(JunctionException e) {
        return new StepFailure(
                e.code().name(),
                e.getMessage(),
                e.code().retryableByDefault(),
                e.retryAfter().orElse(null),
                null);
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public Object output() {
        return output;
    }
}
