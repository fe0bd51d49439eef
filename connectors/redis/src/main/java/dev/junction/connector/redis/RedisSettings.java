package dev.junction.connector.redis;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;

/** A connection's validated configuration; {@code password} comes from the connection's secrets. */
record RedisSettings(String host, int port, String username, String password, int database, boolean tls) {

    static RedisSettings of(ConnectionConfig c) throws ConnectorException {
        String host = c.text("host", "").strip();
        if (host.isEmpty()) {
            throw new ConnectorException("CONFIG_INVALID", "config.host is required", false);
        }
        return new RedisSettings(
                host,
                whole(c, "port", 6379, 1, 65535),
                c.text("username", null),
                c.secrets().get("password"),
                whole(c, "database", 0, 0, 1_000_000),
                Boolean.TRUE.equals(c.config().get("tls")));
    }

    private static int whole(ConnectionConfig c, String name, int fallback, int min, int max)
            throws ConnectorException {
        Object v = c.config().getOrDefault(name, fallback);
        if (!(v instanceof Number n) || n.intValue() < min || n.intValue() > max) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "config.%s must be a number from %d to %d, not %s".formatted(name, min, max, v),
                    false);
        }
        return n.intValue();
    }

    /** Client settings; {@code socketTimeoutMillis} must exceed the longest blocking read. */
    JedisClientConfig client(String name, int socketTimeoutMillis) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(5_000)
                .socketTimeoutMillis(socketTimeoutMillis)
                .blockingSocketTimeoutMillis(socketTimeoutMillis)
                .database(database)
                .clientName(name)
                .ssl(tls);
        if (password != null) {
            b.user(username).password(password);
        }
        return b.build();
    }

    String address() {
        return host + ":" + port;
    }
}
