package dev.junction.connector.mqtt;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/** A connection's validated configuration; {@code password} comes from the connection's secrets. */
record MqttSettings(String host, int port, String username, String password, boolean tls) {

    static MqttSettings of(ConnectionConfig c) throws ConnectorException {
        String host = c.text("host", "").strip();
        if (host.isEmpty()) {
            throw new ConnectorException("CONFIG_INVALID", "config.host is required", false);
        }
        boolean tls = Boolean.TRUE.equals(c.config().get("tls"));
        Object port = c.config().getOrDefault("port", tls ? 8883 : 1883);
        if (!(port instanceof Number n) || n.intValue() < 1 || n.intValue() > 65535) {
            throw new ConnectorException("CONFIG_INVALID", "config.port must be a port number, not " + port, false);
        }
        return new MqttSettings(
                host, n.intValue(), c.text("username", null), c.secrets().get("password"), tls);
    }

    String uri() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }

    String address() {
        return host + ":" + port;
    }

    /** Options for a session that starts clean and keeps nothing (publishing, testing). */
    MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(30);
        o.setAutomaticReconnect(false); // reconnected on next use; sources are reopened by the platform
        o.setCleanStart(true);
        if (username != null && !username.isEmpty()) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (tls) {
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }
}
