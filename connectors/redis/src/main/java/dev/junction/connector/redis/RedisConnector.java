package dev.junction.connector.redis;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.List;
import java.util.Map;

/**
 * Redis: common commands on strings, hashes, lists, pub/sub and streams, and a {@code stream}
 * trigger on a Redis Stream read through a consumer group, acknowledged only after the run is
 * durable ({@link RedisSource}).
 */
public final class RedisConnector implements Connector {
    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "redis",
            "Redis",
            "Strings, hashes, lists, pub/sub and streams; consume a stream through a consumer group.",
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
                            Map.of("type", "string", "minLength", 1, "description", "Redis host name or address"),
                            "port",
                            Map.of("type", "integer", "minimum", 1, "maximum", 65535, "default", 6379),
                            "username",
                            Map.of("type", "string", "description", "ACL user (Redis 6+); empty for 'default'"),
                            "password",
                            Map.of("type", "string", "writeOnly", true),
                            "database",
                            Map.of("type", "integer", "minimum", 0, "default", 0),
                            "tls",
                            Map.of("type", "boolean", "default", false))),
            List.of("none"),
            RedisCommands.OPERATIONS,
            List.of("stream"),
            false);

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        return new RedisSession(RedisSettings.of(config), context);
    }
}
