package dev.junction.connector.amqp;

import com.rabbitmq.client.ConnectionFactory;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorException;
import java.security.NoSuchAlgorithmException;

/** A connection's validated configuration. */
record AmqpSettings(String host, int port, String virtualHost, String username, String password, boolean tls) {

    static AmqpSettings of(ConnectionConfig c) throws ConnectorException {
        String host = c.text("host", "").strip();
        if (host.isEmpty()) {
            throw new ConnectorException("CONFIG_INVALID", "config.host is required", false);
        }
        Object port = c.config().getOrDefault("port", 5672);
        if (!(port instanceof Number n) || n.intValue() < 1 || n.intValue() > 65535) {
            throw new ConnectorException("CONFIG_INVALID", "config.port must be a port number, not " + port, false);
        }
        return new AmqpSettings(
                host,
                n.intValue(),
                c.text("virtualHost", "/"),
                c.text("username", "guest"),
                c.secrets().getOrDefault("password", "guest"),
                Boolean.TRUE.equals(c.config().get("tls")));
    }

    ConnectionFactory factory() throws ConnectorException {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        f.setPort(port);
        f.setVirtualHost(virtualHost);
        f.setUsername(username);
        f.setPassword(password);
        f.setConnectionTimeout(10_000);
        f.setHandshakeTimeout(10_000);
        f.setAutomaticRecoveryEnabled(false); // the platform reopens sources itself, with back-off
        if (tls) {
            try {
                f.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
                f.enableHostnameVerification();
            } catch (NoSuchAlgorithmException e) {
                throw new ConnectorException("CONFIG_INVALID", "TLS is not available: " + e.getMessage(), false);
            }
        }
        return f;
    }
}
