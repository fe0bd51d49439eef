package dev.junction.connector.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One AMQP connection for publishing (opened on first use, reopened when the broker dropped it;
 * one confirm-mode channel, publishes serialised on it), and a connection of its own per stream
 * source. Thread-safe.
 */
final class AmqpSession implements ConnectorSession {
    private static final Duration CONFIRM_WAIT = Duration.ofSeconds(10);

    private final AmqpSettings settings;
    private final ConnectorContext context;
    private Connection connection;
    private Channel publisher;

    AmqpSession(AmqpSettings settings, ConnectorContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** A new connection to the broker, after the outbound address policy allowed its host. */
    Connection connect(String name) throws ConnectorException {
        context.addresses().check(settings.host());
        try {
            return settings.factory().newConnection(name);
        } catch (IOException | TimeoutException e) {
            throw AmqpErrors.of(e, "connecting to %s:%d".formatted(settings.host(), settings.port()));
        }
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        if (!operation.equals("publish")) {
            throw new ConnectorException(
                    "OPERATION_NOT_FOUND",
                    "the amqp connector has one operation, 'publish', not '" + operation + "'",
                    false);
        }
        if (!(input instanceof Map<?, ?> in)) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "the input must be an object such as {\"routingKey\": \"orders\", \"body\": {...}}",
                    false);
        }
        return publish(in, call);
    }

    private synchronized Map<String, Object> publish(Map<?, ?> in, CallContext call) throws ConnectorException {
        String exchange = text(in, "exchange", "");
        String routingKey = text(in, "routingKey", "");
        Object body = in.get("body");
        boolean json = !(body instanceof String);
        byte[] bytes = (json ? Json.write(body) : (String) body).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> headers = new LinkedHashMap<>();
        if (in.get("headers") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> headers.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (in.get("headers") != null) {
            throw new ConnectorException("INPUT_INVALID", "input.headers must be an object of name to value", false);
        }
        String messageId = text(in, "messageId", call.idempotencyKey());
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType(text(in, "contentType", json ? "application/json" : "text/plain; charset=utf-8"))
                .deliveryMode(Boolean.FALSE.equals(in.get("persistent")) ? 1 : 2)
                .messageId(messageId)
                .headers(headers)
                .timestamp(java.util.Date.from(context.clock().instant()))
                .build();
        boolean mandatory = Boolean.TRUE.equals(in.get("mandatory"));
        Channel ch = publisher();
        try {
            ReturnWatch returned = new ReturnWatch();
            ch.addReturnListener(returned);
            try {
                ch.basicPublish(exchange, routingKey, mandatory, props, bytes);
                ch.waitForConfirmsOrDie(CONFIRM_WAIT.toMillis());
            } finally {
                ch.removeReturnListener(returned);
            }
            if (returned.replyText != null) {
                throw new ConnectorException(
                        "UNROUTABLE",
                        "no queue is bound to exchange '%s' with routing key '%s' (%s)"
                                .formatted(exchange, routingKey, returned.replyText),
                        false);
            }
        } catch (IOException | TimeoutException | com.rabbitmq.client.ShutdownSignalException e) {
            dropPublisher();
            throw AmqpErrors.of(e, "publishing to exchange '%s'".formatted(exchange));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("TIMEOUT", "interrupted while waiting for the broker's confirm", true);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("published", true);
        out.put("exchange", exchange);
        out.put("routingKey", routingKey);
        return out;
    }

    /** Notes a message the broker returned as unroutable (mandatory publishes). */
    private static final class ReturnWatch implements com.rabbitmq.client.ReturnListener {
        volatile String replyText;

        @Override
        public void handleReturn(
                int replyCode, String text, String exchange, String routingKey, AMQP.BasicProperties p, byte[] b) {
            replyText = replyCode + " " + text;
        }
    }

    private Channel publisher() throws ConnectorException {
        if (publisher != null && publisher.isOpen()) {
            return publisher;
        }
        dropPublisher();
        connection = connect("junction-publish");
        try {
            publisher = connection.createChannel();
            publisher.confirmSelect();
            return publisher;
        } catch (IOException e) {
            dropPublisher();
            throw AmqpErrors.of(e, "opening a channel");
        }
    }

    private void dropPublisher() {
        closeQuietly(connection);
        connection = null;
        publisher = null;
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        try (Connection c = connect("junction-test")) {
            Object version = c.getServerProperties().get("version");
            Object product = c.getServerProperties().get("product");
            return TestResult.ok(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "connected to %s %s at %s:%d".formatted(product, version, settings.host(), settings.port()));
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (IOException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), AmqpErrors.of(e, "closing"));
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return AmqpConnector.DESCRIPTOR.operations();
    }

    @Override
    public StreamSource stream(StreamSource.Spec spec) throws ConnectorException {
        return AmqpSource.open(this, spec);
    }

    @Override
    public synchronized void close() {
        dropPublisher();
    }

    static void closeQuietly(Connection c) {
        if (c != null && c.isOpen()) {
            try {
                c.close(2_000);
            } catch (IOException | RuntimeException e) {
                c.abort(1_000);
            }
        }
    }

    static String text(Map<?, ?> in, String key, String fallback) throws ConnectorException {
        Object v = in.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new ConnectorException("INPUT_INVALID", "input.%s must be text".formatted(key), false);
        }
        return s;
    }
}
