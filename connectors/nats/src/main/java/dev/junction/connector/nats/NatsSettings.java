package dev.junction.connector.nats;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import io.nats.client.Options;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/** A connection's validated configuration; {@code password} and {@code token} come from its secrets. */
record NatsSettings(String host, int port, String username, String password, String token, boolean tls) {

    static NatsSettings of(ConnectionConfig c) throws ConnectorException {
        String host = c.text("host", "").strip();
        if (host.isEmpty()) {
            throw new ConnectorException("CONFIG_INVALID", "config.host is required", false);
        }
        Object port = c.config().getOrDefault("port", 4222);
        if (!(port instanceof Number n) || n.intValue() < 1 || n.intValue() > 65535) {
            throw new ConnectorException("CONFIG_INVALID", "config.port must be a port number, not " + port, false);
        }
        return new NatsSettings(
                host,
                n.intValue(),
                c.text("username", null),
                c.secrets().get("password"),
                c.secrets().get("token"),
                Boolean.TRUE.equals(c.config().get("tls")));
    }

    /**
     * Client options. {@code reconnect} lets the client reconnect by itself (publishing); stream
     * sources do not, so that a lost connection reaches the platform, which reopens them.
     */
    Options options(String name, boolean reconnect) throws ConnectorException {
        Options.Builder b = new Options.Builder()
                .server((tls ? "tls://" : "nats://") + host + ":" + port)
                .connectionName(name)
                .connectionTimeout(Duration.ofSeconds(5))
                .reportNoResponders() // a request nobody listens to fails at once, not after its timeout
                .errorListener(new io.nats.client.ErrorListener() {});
        if (reconnect) {
            b.maxReconnects(-1);
        } else {
            b.noReconnect();
        }
        if (username != null && !username.isEmpty()) {
            b.userInfo(username, password == null ? "" : password);
        }
        if (token != null && !token.isEmpty()) {
            b.token(token.toCharArray());
        }
        if (tls) {
            try {
                b.secure();
            } catch (NoSuchAlgorithmException e) {
                throw new ConnectorException("CONFIG_INVALID", "TLS is not available: " + e.getMessage(), false);
            }
        }
        return b.build();
    }

    String address() {
        return host + ":" + port;
    }
}
