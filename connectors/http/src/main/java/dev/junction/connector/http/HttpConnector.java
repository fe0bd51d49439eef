package dev.junction.connector.http;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;
import java.util.Map;

/**
 * HTTP / REST: one operation, {@code request}, with JSON, form, multipart and text bodies and
 * pagination by Link header, cursor field or page number. All traffic goes through the platform's
 * client ({@link ConnectorContext#http()}), which applies the base URL, authentication, address
 * policy and answer size limit.
 */
public final class HttpConnector implements Connector {
    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "http",
            "HTTP / REST",
            "Any HTTP API: every method; JSON, form, multipart and text bodies; pagination helpers.",
            Map.of(
                    "type",
                    "object",
                    "required",
                    List.of("baseUrl"),
                    "additionalProperties",
                    false,
                    "properties",
                    Map.of(
                            "baseUrl",
                            Map.of(
                                    "type",
                                    "string",
                                    "pattern",
                                    "^https?://[^\\s]+$",
                                    "description",
                                    "Base URL; request paths are relative to it"),
                            "defaultHeaders",
                            Map.of(
                                    "type",
                                    "object",
                                    "additionalProperties",
                                    Map.of("type", "string"),
                                    "description",
                                    "Headers sent with every request"),
                            "testPath",
                            Map.of(
                                    "type",
                                    "string",
                                    "description",
                                    "Path that 'test connection' GETs (default: the base URL)"))),
            ConnectorDescriptor.HTTP_AUTH_TYPES,
            List.of(new ConnectorDescriptor.Operation(
                    "request",
                    "Sends one request, or follows pages when 'paginate' is given",
                    RequestOperation.INPUT_SCHEMA,
                    Map.of(
                            "type",
                            "object",
                            "description",
                            "{status, headers, body}, or with paginate {status, pages, items, truncated}"),
                    false)),
            List.of(),
            false);

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) {
        return new HttpSession(config, context);
    }
}
