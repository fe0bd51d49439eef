package dev.junction.engine.error;

import java.time.Duration;
import java.util.Optional;

/**
 * An error with a stable {@link ErrorCode}. {@code retryAfter} carries the far side's wish (for
 * example an HTTP {@code Retry-After}) when it expressed one.
 */
public class JunctionException extends RuntimeException {
    private final ErrorCode code;
    private final Duration retryAfter;

    public JunctionException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public JunctionException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    public JunctionException(ErrorCode code, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
