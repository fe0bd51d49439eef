package dev.junction.engine.connector;

import java.time.Duration;

/**
 * The outcome of "test connection": whether the far side answered as expected, how long it took,
 * and on failure a stable {@code code} and the far side's message verbatim.
 */
public record TestResult(boolean ok, long latencyMillis, String code, String message) {
    public static TestResult ok(Duration latency, String message) {
        return new TestResult(true, latency.toMillis(), null, message);
    }

    public static TestResult failed(Duration latency, String code, String message) {
        return new TestResult(false, latency.toMillis(), code, message);
    }

    public static TestResult failed(Duration latency, ConnectorException e) {
        return failed(latency, e.code(), e.getMessage());
    }
}
