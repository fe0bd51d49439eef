package dev.junction.engine.connector;

/**
 * A connector: a plugin that knows how to reach one kind of system. Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.junction.engine.connector.Connector}).
 * Connectors never see the store or Spring: everything they may touch arrives through
 * {@link ConnectionConfig} and {@link ConnectorContext}. Implementations are stateless and
 * thread-safe; per-connection state lives in the {@link ConnectorSession}.
 */
public interface Connector {
    /** What the connector offers; constant for the life of the process. */
    ConnectorDescriptor describe();

    /**
     * Opens a session for one connection. Must not perform network calls that can fail slowly;
     * {@link ConnectorSession#test()} is where the far side is first reached.
     *
     * @throws ConnectorException with code {@code CONFIG_INVALID} when the configuration cannot be used
     */
    ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException;
}
