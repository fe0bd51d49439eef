package dev.junction.connector.mqtt;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;
import java.util.Map;

/**
 * MQTT v5 brokers (Mosquitto, EMQX, HiveMQ ...): {@code publish} with QoS 0 or 1, and a {@code
 * stream} trigger on a topic filter through a shared subscription with manual acknowledgement in a
 * persistent session ({@link MqttSource}).
 */
public final class MqttConnector implements Connector {
    private static final Map<String, Object> TEXT = Map.of("type", "string");

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "mqtt",
            "MQTT v5",
            "Publish with QoS 0/1; consume a topic filter through a shared subscription, acknowledged after the run"
                    + " is durable.",
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
                            Map.of(
                                    "type",
                                    "integer",
                                    "minimum",
                                    1,
                                    "maximum",
                                    65535,
                                    "description",
                                    "1883, or 8883 with tls"),
                            "username",
                            TEXT,
                            "password",
                            Map.of("type", "string", "writeOnly", true),
                            "tls",
                            Map.of("type", "boolean", "default", false))),
            List.of("none"),
            List.of(new ConnectorDescriptor.Operation(
                    "publish",
                    "Publishes one message; with QoS 1 waits for the broker's PUBACK. Answers {published, topic, qos}",
                    Map.of(
                            "type",
                            "object",
                            "additionalProperties",
                            false,
                            "required",
                            List.of("topic"),
                            "properties",
                            Map.of(
                                    "topic",
                                    Map.of("type", "string", "description", "no wildcards"),
                                    "payload",
                                    Map.of("description", "text, or any JSON value (sent as JSON)"),
                                    "qos",
                                    Map.of("type", "integer", "enum", List.of(0, 1), "default", 1),
                                    "retain",
                                    Map.of("type", "boolean", "default", false),
                                    "headers",
                                    Map.of("type", "object", "description", "MQTT 5 user properties"),
                                    "contentType",
                                    TEXT,
                                    "messageId",
                                    Map.of(
                                            "type",
                                            "string",
                                            "description",
                                            "user property message-id; default: the call's idempotency key"))),
                    Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of(
                                    "published",
                                    Map.of("type", "boolean"),
                                    "topic",
                                    TEXT,
                                    "qos",
                                    Map.of("type", "integer"))),
                    false)),
            List.of("stream"),
            false);

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        return new MqttSession(MqttSettings.of(config), context);
    }
}
