package dev.junction.connector.kafka;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;
import java.util.Map;

/**
 * Apache Kafka: {@code produce} through an idempotent producer (a record counts as sent once every
 * in-sync replica has it), and a {@code stream} trigger that consumes topics in a consumer group —
 * several Junction nodes share the partitions — and commits offsets only after the runs are
 * durable ({@link KafkaSource}).
 */
public final class KafkaConnector implements Connector {
    private static final Map<String, Object> TEXT = Map.of("type", "string");

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "kafka",
            "Apache Kafka",
            "Produce records with key, headers and partition; consume topics in a consumer group, committing offsets"
                    + " after the runs are durable.",
            Map.of(
                    "type",
                    "object",
                    "required",
                    List.of("bootstrapServers"),
                    "additionalProperties",
                    false,
                    "properties",
                    Map.of(
                            "bootstrapServers",
                            Map.of(
                                    "type",
                                    "string",
                                    "minLength",
                                    3,
                                    "description",
                                    "Comma-separated host:port of one or more brokers, such as kafka-1:9092,kafka-2:9092"),
                            "mechanism",
                            Map.of(
                                    "type",
                                    "string",
                                    "enum",
                                    List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
                                    "description",
                                    "SASL mechanism; omit for no SASL"),
                            "username",
                            TEXT,
                            "password",
                            Map.of("type", "string", "writeOnly", true),
                            "tls",
                            Map.of("type", "boolean", "default", false, "description", "TLS to the brokers"),
                            "clientId",
                            Map.of(
                                    "type",
                                    "string",
                                    "description",
                                    "client.id prefix; default junction-<connection>"))),
            List.of("none"),
            List.of(new ConnectorDescriptor.Operation(
                    "produce",
                    "Writes one record with the idempotent producer (acks=all); answers {topic, partition, offset}",
                    Map.of(
                            "type",
                            "object",
                            "required",
                            List.of("topic"),
                            "additionalProperties",
                            false,
                            "properties",
                            Map.of(
                                    "topic",
                                    Map.of("type", "string", "minLength", 1),
                                    "key",
                                    Map.of("type", "string", "description", "record key; decides the partition"),
                                    "value",
                                    Map.of("description", "JSON value (sent as JSON) or text"),
                                    "headers",
                                    Map.of("type", "object", "description", "name to text value"),
                                    "partition",
                                    Map.of(
                                            "type",
                                            "integer",
                                            "minimum",
                                            0,
                                            "description",
                                            "explicit partition; default: by key, else spread"))),
                    Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of(
                                    "topic",
                                    TEXT,
                                    "partition",
                                    Map.of("type", "integer"),
                                    "offset",
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
        return new KafkaSession(KafkaSettings.of(config), context);
    }
}
