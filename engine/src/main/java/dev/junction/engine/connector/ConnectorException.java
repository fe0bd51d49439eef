package dev.junction.engine.connector;

import java.time.Duration;

/**
 * A connector call failed. {@code code} is stable (the step error codes of FLOWS.md such as
 * {@code TIMEOUT}, {@code CONNECTION}, {@code HTTP_5XX}, or connector codes such as
 * {@code INPUT_INVALID}, {@code ADDRESS_BLOCKED}, {@code AUTH_FAILED}, {@code NEEDS_REAUTH});
 * {@code retryable} says whether trying again may help; {@code retryAfter} is the far side's hint.
 * {@code output} optionally keeps what the far side answered.
 */
public class ConnectorException extends Exception {
    private final String code;
    private final boolean retryable;
    private final Duration retryAfter;
    private final transient Object output;

    public ConnectorException(String code, String message, boolean retryable) {
        this(code, message, retryable, null, null, null);
    }

    public ConnectorException(
            String code, String message, boolean retryable, Duration retryAfter, Object output, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.output = output;
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
