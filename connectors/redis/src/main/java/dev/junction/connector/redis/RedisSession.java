package dev.junction.connector.redis;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import java.time.Duration;
import java.util.List;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One pooled client for the operations (created on first use, after the address policy allowed the
 * host), and a client of its own per stream source. Thread-safe.
 */
final class RedisSession implements ConnectorSession {
    private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    private final RedisSettings settings;
    private final ConnectorContext context;
    private RedisClient client;

    RedisSession(RedisSettings settings, ConnectorContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** A new pooled client of at most {@code connections}, after the address policy allowed the host. */
    RedisClient connect(String name, int connections) throws ConnectorException {
        context.addresses().check(settings.host());
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(connections);
        pool.setMaxIdle(connections);
        pool.setMaxWait(Duration.ofSeconds(10));
        pool.setJmxEnabled(false);
        return RedisClient.builder()
                .hostAndPort(settings.host(), settings.port())
                .clientConfig(settings.client(name, SOCKET_TIMEOUT_MILLIS))
                .poolConfig(pool)
                .build();
    }

    private synchronized RedisClient client() throws ConnectorException {
        if (client == null) {
            client = connect("junction", 8);
        }
        return client;
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        OperationInput in = OperationInput.of("redis", operation, input);
        try {
            return RedisCommands.invoke(client(), operation, in);
        } catch (JedisException e) {
            throw RedisErrors.of(e, "redis '%s' at %s".formatted(operation, settings.address()));
        }
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        try (RedisClient c = connect("junction-test", 1)) {
            c.ping();
            String version = c.info("server")
                    .lines()
                    .filter(l -> l.startsWith("redis_version:"))
                    .map(l -> l.substring("redis_version:".length()))
                    .findFirst()
                    .orElse("?");
            return TestResult.ok(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "connected to Redis %s at %s".formatted(version, settings.address()));
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (JedisException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0), RedisErrors.of(e, "connecting to " + settings.address()));
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return RedisConnector.DESCRIPTOR.operations();
    }

    @Override
    public StreamSource stream(StreamSource.Spec spec) throws ConnectorException {
        return RedisSource.open(this, spec, SOCKET_TIMEOUT_MILLIS);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
