package dev.junction.connector.kafka;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A connection's validated configuration: the bootstrap brokers, optional SASL credentials, TLS and
 * the client id. {@link #clientProperties} turns it into the properties every Kafka client of the
 * connection shares, with short timeouts so that an unreachable cluster is reported in seconds.
 */
record KafkaSettings(
        List<Broker> bootstrap, String mechanism, String username, String password, boolean tls, String clientId) {
    static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    /** How long a client waits for metadata, a request or a connection before it reports a failure. */
    static final Duration API_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    KafkaSettings {
        bootstrap = List.copyOf(bootstrap);
    }

    /** One bootstrap broker address. */
    record Broker(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static KafkaSettings of(ConnectionConfig c) throws ConnectorException {
        String servers = c.text("bootstrapServers", "").strip();
        if (servers.isEmpty()) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "config.bootstrapServers is required, such as 'kafka-1:9092,kafka-2:9092'",
                    false);
        }
        List<Broker> brokers = new ArrayList<>();
        for (String one : servers.split(",")) {
            brokers.add(broker(one.strip()));
        }
        String mechanism = c.text("mechanism", null);
        String username = c.text("username", null);
        String password = c.secrets().get("password");
        if (mechanism != null && !MECHANISMS.contains(mechanism)) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "config.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '%s'".formatted(mechanism),
                    false);
        }
        if (mechanism != null && (username == null || password == null)) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "config.mechanism %s needs config.username and config.password".formatted(mechanism),
                    false);
        }
        if (mechanism == null && username != null) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "config.username is set but config.mechanism is not (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)",
                    false);
        }
        return new KafkaSettings(
                brokers,
                mechanism,
                username,
                password,
                Boolean.TRUE.equals(c.config().get("tls")),
                c.text("clientId", "junction-" + c.connectionId()));
    }

    private static Broker broker(String text) throws ConnectorException {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (!host.isEmpty() && port >= 1 && port <= 65535) {
                return new Broker(host, port);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConnectorException(
                "CONFIG_INVALID",
                "config.bootstrapServers: '%s' is not host:port (such as kafka-1:9092)".formatted(text),
                false);
    }

    /** Every bootstrap host must pass the outbound address policy. */
    void checkAddresses(ConnectorContext context) throws ConnectorException {
        for (Broker b : bootstrap) {
            context.addresses().check(b.host());
        }
    }

    /**
     * Opens and closes a TCP connection to the bootstrap brokers until one answers. Kafka's clients
     * retry unreachable brokers silently until their timeout; this says at once which address
     * refused or did not answer ({@code CONNECTION}, or {@code TIMEOUT} when none answered in time).
     */
    void probe() throws ConnectorException {
        StringJoiner why = new StringJoiner("; ");
        boolean allTimedOut = true;
        for (Broker b : bootstrap) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(b.host(), b.port()), (int) PROBE_TIMEOUT.toMillis());
                return;
            } catch (SocketTimeoutException e) {
                why.add(b + ": no answer within " + PROBE_TIMEOUT.toSeconds() + " s");
            } catch (IOException e) {
                allTimedOut = false;
                why.add(b + ": " + e.getMessage());
            }
        }
        throw new ConnectorException(
                allTimedOut ? "TIMEOUT" : "CONNECTION", "cannot reach any bootstrap broker (" + why + ")", true);
    }

    /** The properties every client of this connection shares; {@code suffix} names the client. */
    Map<String, Object> clientProperties(String suffix) {
        Map<String, Object> p = new HashMap<>();
        p.put(
                "bootstrap.servers",
                String.join(",", bootstrap.stream().map(Broker::toString).toList()));
        p.put("client.id", suffix == null ? clientId : clientId + "-" + suffix);
        p.put("security.protocol", (mechanism == null ? "" : "SASL_") + (tls ? "SSL" : "PLAINTEXT"));
        if (mechanism != null) {
            p.put("sasl.mechanism", mechanism);
            String module = mechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(
                    "sasl.jaas.config",
                    "%s required username=\"%s\" password=\"%s\";".formatted(module, quote(username), quote(password)));
        }
        int timeout = (int) API_TIMEOUT.toMillis();
        p.put("request.timeout.ms", timeout);
        p.put("default.api.timeout.ms", timeout);
        p.put("socket.connection.setup.timeout.ms", 5_000);
        p.put("socket.connection.setup.timeout.max.ms", timeout);
        p.put("reconnect.backoff.max.ms", 5_000);
        return p;
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaSettings[" + bootstrap + ", mechanism=" + mechanism + ", username=" + username + ", tls=" + tls
                + ", clientId=" + clientId + "]"; // never the password
    }
}
