package dev.junction.engine.connector;

import java.util.List;

/**
 * One open connection to a system. Thread-safe: many runs invoke operations at once. Closed when the
 * connection is changed, disabled or deleted.
 */
public interface ConnectorSession extends AutoCloseable {
    /**
     * Performs {@code operation} with {@code input} (JSON-like: maps, lists, strings, numbers,
     * booleans, null) and returns its JSON-like output.
     */
    Object invoke(String operation, Object input, CallContext context) throws ConnectorException;

    /** "Test connection": a real, cheap call to the far side. Never throws. */
    TestResult test();

    /**
     * The operations of this connection. Static connectors return their descriptor's; connectors
     * whose operations come from the far side (OpenAPI) return the ones of this connection.
     */
    List<ConnectorDescriptor.Operation> operations();

    @Override
    default void close() {}
}
