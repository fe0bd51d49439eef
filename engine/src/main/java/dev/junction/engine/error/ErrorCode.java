package dev.junction.engine.error;

/**
 * The one error vocabulary of Junction. The names are stable strings users can search for; they
 * appear as {@code code} in problem details and in failed step attempts.
 */
public enum ErrorCode {
    FLOW_INVALID(false),
    FLOW_NOT_FOUND(false),
    FLOW_CONFLICT(false),
    FLOW_DISABLED(false),
    RUN_NOT_FOUND(false),
    RUN_FINISHED(false),
    RUN_NOT_FINISHED(false),
    REPLAY_INVALID(false),
    REPLAY_MISMATCH(false),
    INPUT_INVALID(false),
    WEBHOOK_NOT_FOUND(false),
    EXPRESSION_ERROR(false),
    EXPRESSION_LIMIT(false),
    TIMEOUT(true),
    CONNECTION(true),
    HTTP_4XX(false),
    HTTP_408(true),
    HTTP_425(true),
    HTTP_429(true),
    HTTP_5XX(true),
    STEP_FAILED(false),
    RUN_TIMEOUT(false),
    CANCELLED(false),
    UNAVAILABLE(true),
    INTERNAL(false);

    private final boolean retryableByDefault;

    ErrorCode(boolean retryableByDefault) {
        this.retryableByDefault = retryableByDefault;
    }

    /** Whether a step failing with this code is retried when its retry policy names no classes. */
    public boolean retryableByDefault() {
        return retryableByDefault;
    }
}
