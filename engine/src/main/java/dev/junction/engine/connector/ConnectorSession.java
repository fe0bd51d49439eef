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

    /**
     * Opens a source of messages for a {@code stream} trigger. Connectors whose descriptor lists
     * {@code stream} among its triggers implement this.
     *
     * @throws ConnectorException {@code TRIGGER_UNSUPPORTED} by default; {@code SOURCE_NOT_FOUND},
     *     {@code AUTH_FAILED}, {@code CONNECTION} and the like when opening fails
     */
    default StreamSource stream(StreamSource.Spec spec) throws ConnectorException {
        throw new ConnectorException(
                "TRIGGER_UNSUPPORTED", "this connector offers no stream trigger; use a poll trigger instead", false);
    }

    @Override
    default void close() {}
}
