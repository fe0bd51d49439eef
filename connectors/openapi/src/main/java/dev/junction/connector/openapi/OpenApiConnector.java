package dev.junction.connector.openapi;

import dev.junction.connector.http.JsonResources;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;

/**
 * OpenAPI 3.0 / 3.1: every operation of an imported document (inline, or fetched from a URL)
 * becomes a callable operation of the connection, named by its {@code operationId}, with an input
 * of its parameters and {@code body} that is checked before any request is sent. Operations differ
 * per connection ({@code dynamicOperations}); {@link ConnectorSession#operations()} lists them.
 * All traffic goes through the platform's client, with the connection's authentication, address
 * policy and size limit. Stateless; thread-safe.
 */
public final class OpenApiConnector implements Connector {
    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "openapi",
            "OpenAPI",
            "Any API described by an OpenAPI 3.0 or 3.1 document: each operation becomes a callable operation.",
            JsonResources.object(OpenApiConnector.class, "config.schema.json"),
            ConnectorDescriptor.HTTP_AUTH_TYPES,
            List.of(),
            List.of(),
            true);

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    /**
     * Reads an inline document now ({@code CONFIG_INVALID} when it is malformed); a {@code
     * documentUrl} is fetched on first use.
     */
    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        return new OpenApiSession(OpenApiConfig.of(config), context);
    }
}
