package dev.junction.connector.nats;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;
import java.util.Map;

/**
 * NATS: core {@code publish} and {@code request}, JetStream {@code jsPublish} with the stream's
 * ack, and a {@code stream} trigger on a core subject (at most once: {@link NatsCoreSource}) or on a
 * durable JetStream pull consumer (at least once: {@link NatsJetStreamSource}).
 */
public final class NatsConnector implements Connector {
    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "nats",
            "NATS",
            "Publish, request/reply and JetStream publish; consume a subject or a durable JetStream consumer.",
            Map.of(
                    "type",
                    "object",
                    "required",
                    List.of("host"),
                    "additionalProperties",
                    false,
                    "properties",
                    Map.of(
                            "host",
                            Map.of("type", "string", "minLength", 1, "description", "NATS server host name or address"),
                            "port",
                            Map.of("type", "integer", "minimum", 1, "maximum", 65535, "default", 4222),
                            "username",
                            Map.of("type", "string"),
                            "password",
                            Map.of("type", "string", "writeOnly", true),
                            "token",
                            Map.of("type", "string", "writeOnly", true, "description", "instead of username/password"),
                            "tls",
                            Map.of("type", "boolean", "default", false))),
            List.of("none"),
            NatsCommands.OPERATIONS,
            List.of("stream"),
            false);

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        return new NatsSession(NatsSettings.of(config), context);
    }
}
