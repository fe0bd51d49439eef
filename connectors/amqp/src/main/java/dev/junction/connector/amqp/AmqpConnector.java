package dev.junction.connector.amqp;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ and other AMQP 0-9-1 brokers: {@code publish} with publisher confirms (a message counts
 * as sent once the broker has it), and a {@code stream} trigger on a queue that acknowledges a
 * message only after its run is durable ({@link AmqpSource}).
 */
public final class AmqpConnector implements Connector {
    private static final Map<String, Object> TEXT = Map.of("type", "string");

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "amqp",
            "RabbitMQ (AMQP 0-9-1)",
            "Publish to exchanges with confirms; consume queues with acknowledgement after the run is durable.",
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
                            Map.of("type", "string", "minLength", 1, "description", "Broker host name or address"),
                            "port",
                            Map.of("type", "integer", "minimum", 1, "maximum", 65535, "default", 5672),
                            "virtualHost",
                            Map.of("type", "string", "default", "/"),
                            "username",
                            Map.of("type", "string", "default", "guest"),
                            "password",
                            Map.of("type", "string", "writeOnly", true),
                            "tls",
                            Map.of("type", "boolean", "default", false, "description", "AMQPS (usually port 5671)"))),
            List.of("none"),
            List.of(new ConnectorDescriptor.Operation(
                    "publish",
                    "Publishes one message and waits for the broker's confirm; answers {published, exchange, routingKey}",
                    Map.of(
                            "type",
                            "object",
                            "additionalProperties",
                            false,
                            "properties",
                            Map.of(
                                    "exchange",
                                    Map.of(
                                            "type",
                                            "string",
                                            "default",
                                            "",
                                            "description",
                                            "'' is the default exchange"),
                                    "routingKey",
                                    TEXT,
                                    "body",
                                    Map.of("description", "JSON value (sent as JSON) or text"),
                                    "headers",
                                    Map.of("type", "object"),
                                    "contentType",
                                    TEXT,
                                    "messageId",
                                    Map.of("type", "string", "description", "default: the call's idempotency key"),
                                    "persistent",
                                    Map.of("type", "boolean", "default", true),
                                    "mandatory",
                                    Map.of(
                                            "type",
                                            "boolean",
                                            "default",
                                            false,
                                            "description",
                                            "fail with UNROUTABLE when no queue receives it"))),
                    Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of("published", Map.of("type", "boolean"), "exchange", TEXT, "routingKey", TEXT)),
                    false)),
            List.of("stream"),
            false);

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        return new AmqpSession(AmqpSettings.of(config), context);
    }
}
