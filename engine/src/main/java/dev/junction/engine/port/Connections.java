package dev.junction.engine.port;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.StreamSource;
import java.util.Map;

/**
 * How runs reach connections and workspace secrets: {@code call} steps invoke an operation,
 * {@code http} steps with {@code connection:} borrow its authenticated client, and expressions see
 * {@code secrets.<name>}. Implemented by the server over the vault and the connector registry;
 * rate limits and circuit breakers apply inside. An unknown or inactive connection is a
 * {@link ConnectorException} with code {@code CONNECTION_NOT_FOUND} or {@code CONNECTION_INACTIVE}.
 */
public interface Connections {
    /** For engines without connections: every lookup fails with {@code CONNECTION_NOT_FOUND}. */
    Connections NONE = new Connections() {
        @Override
        public Object call(String workspaceId, String connectionId, String operation, Object input, CallContext ctx)
                throws ConnectorException {
            throw notFound(connectionId);
        }

        @Override
        public OutboundHttp http(String workspaceId, String connectionId) throws ConnectorException {
            throw notFound(connectionId);
        }

        @Override
        public Map<String, String> secrets(String workspaceId) {
            return Map.of();
        }
    };

    Object call(String workspaceId, String connectionId, String operation, Object input, CallContext context)
            throws ConnectorException;

    OutboundHttp http(String workspaceId, String connectionId) throws ConnectorException;

    /** The workspace's secrets in clear, by name; only ever held in memory for the run. */
    Map<String, String> secrets(String workspaceId);

    /**
     * Opens a message source of the connection for a {@code stream} trigger (see {@link
     * StreamSource}); the caller closes it. By default there are none ({@code CONNECTION_NOT_FOUND}).
     */
    default StreamSource stream(String workspaceId, String connectionId, StreamSource.Spec spec)
            throws ConnectorException {
        throw notFound(connectionId);
    }

    static ConnectorException notFound(String connectionId) {
        return new ConnectorException(
                "CONNECTION_NOT_FOUND", "there is no connection '%s' in this workspace".formatted(connectionId), false);
    }
}
