package dev.junction.server.vault;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.port.Connections;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The engine's {@link Connections} port on this server: workspace secrets from the vault. Calls
 * through connections answer {@code CONNECTION_NOT_FOUND} until the connections API lands.
 */
@Component
class ServerConnections implements Connections {
    private final SecretsCache secrets;

    ServerConnections(SecretsCache secrets) {
        this.secrets = secrets;
    }

    @Override
    public Object call(String workspaceId, String connectionId, String operation, Object input, CallContext context)
            throws ConnectorException {
        throw Connections.notFound(connectionId);
    }

    @Override
    public OutboundHttp http(String workspaceId, String connectionId) throws ConnectorException {
        throw Connections.notFound(connectionId);
    }

    @Override
    public Map<String, String> secrets(String workspaceId) {
        return secrets.workspace(workspaceId);
    }
}
