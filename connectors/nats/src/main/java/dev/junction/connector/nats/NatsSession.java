package dev.junction.connector.nats;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ServerInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One NATS connection for the operations (opened on first use, reconnecting by itself; the client
 * is thread-safe), and a connection of its own per stream source.
 */
final class NatsSession implements ConnectorSession {
    private final NatsSettings settings;
    private final ConnectorContext context;
    private Connection connection;

    NatsSession(NatsSettings settings, ConnectorContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** A new connection, after the address policy allowed the host. */
    Connection connect(String name, boolean reconnect) throws ConnectorException {
        context.addresses().check(settings.host());
        try {
            return Nats.connect(settings.options(name, reconnect));
        } catch (IOException e) {
            throw NatsErrors.of(e, "connecting to " + settings.address());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("CONNECTION", "interrupted while connecting to " + settings.address(), true);
        }
    }

    private synchronized Connection connection() throws ConnectorException {
        if (connection == null || connection.getStatus() == Connection.Status.CLOSED) {
            connection = connect("junction", true);
        }
        return connection;
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        if (NatsCommands.OPERATIONS.stream().noneMatch(o -> o.name().equals(operation))) {
            throw NatsCommands.unknown(operation);
        }
        return NatsCommands.invoke(connection(), operation, OperationInput.of("nats", operation, input), call);
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        Connection c = null;
        try {
            c = connect("junction-test", false);
            ServerInfo info = c.getServerInfo();
            return TestResult.ok(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "connected to NATS %s at %s (JetStream %s)"
                            .formatted(
                                    info.getVersion(),
                                    settings.address(),
                                    info.isJetStreamAvailable() ? "enabled" : "not enabled"));
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } finally {
            closeQuietly(c);
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return NatsConnector.DESCRIPTOR.operations();
    }

    @Override
    public StreamSource stream(StreamSource.Spec spec) throws ConnectorException {
        if (spec.source() == null || spec.source().isBlank()) {
            throw new ConnectorException(
                    "CONFIG_INVALID", "the nats stream trigger needs a source: a subject such as 'orders.>'", false);
        }
        Object js = spec.options().getOrDefault("jetstream", false);
        if (Boolean.TRUE.equals(js)) {
            return NatsJetStreamSource.open(this, spec);
        }
        if (!Boolean.FALSE.equals(js)) {
            throw new ConnectorException("CONFIG_INVALID", "options.jetstream must be true or false", false);
        }
        return NatsCoreSource.open(this, spec);
    }

    @Override
    public synchronized void close() {
        closeQuietly(connection);
        connection = null;
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
