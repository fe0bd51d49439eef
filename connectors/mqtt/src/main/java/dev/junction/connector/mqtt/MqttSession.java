package dev.junction.connector.mqtt;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * One clean-session client for publishing (connected on first use and again after it was dropped;
 * publishes serialised on it), and a client of its own per stream source. Thread-safe.
 */
final class MqttSession implements ConnectorSession {
    static final String MESSAGE_ID = "message-id";
    private static final long WAIT_MILLIS = 10_000;

    private final MqttSettings settings;
    private final ConnectorContext context;
    private MqttClient publisher;

    MqttSession(MqttSettings settings, ConnectorContext context) {
        this.settings = settings;
        this.context = context;
    }

    MqttSettings settings() {
        return settings;
    }

    /** A new client (not yet connected), after the address policy allowed the host. */
    MqttClient client(String clientId) throws ConnectorException {
        context.addresses().check(settings.host());
        try {
            MqttClient c = new MqttClient(settings.uri(), clientId, new MemoryPersistence());
            c.setTimeToWait(WAIT_MILLIS);
            return c;
        } catch (MqttException e) {
            throw MqttErrors.of(e, "creating a client for " + settings.address());
        }
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        if (!operation.equals("publish")) {
            throw new ConnectorException(
                    "OPERATION_NOT_FOUND",
                    "the mqtt connector has one operation, 'publish', not '" + operation + "'",
                    false);
        }
        OperationInput in = OperationInput.of("mqtt", operation, input);
        String topic = in.text("topic");
        if (topic.contains("+") || topic.contains("#")) {
            throw in.invalid("topic", "must not contain the wildcards + or #: '" + topic + "'");
        }
        long qos = in.number("qos", 1L);
        if (qos != 0 && qos != 1) {
            throw in.invalid("qos", "must be 0 or 1, not " + qos);
        }
        Object payload = in.raw("payload");
        MqttMessage message = new MqttMessage(
                payload == null ? new byte[0] : OperationInput.asText(payload).getBytes(StandardCharsets.UTF_8));
        message.setQos((int) qos);
        message.setRetained(Boolean.TRUE.equals(in.raw("retain")));
        message.setProperties(properties(in, call, payload));
        publish(topic, message);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("published", true);
        out.put("topic", topic);
        out.put("qos", (int) qos);
        return out;
    }

    private static MqttProperties properties(OperationInput in, CallContext call, Object payload)
            throws ConnectorException {
        MqttProperties p = new MqttProperties();
        List<UserProperty> user = new ArrayList<>();
        if (in.raw("headers") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> user.add(new UserProperty(String.valueOf(k), OperationInput.asText(v))));
        } else if (in.raw("headers") != null) {
            throw in.invalid("headers", "must be an object of name to value");
        }
        String id = in.text("messageId", call.idempotencyKey());
        if (id != null) {
            user.add(new UserProperty(MESSAGE_ID, id));
        }
        p.setUserProperties(user);
        String type = in.text("contentType", payload == null || payload instanceof String ? null : "application/json");
        if (type != null) {
            p.setContentType(type);
        }
        return p;
    }

    private synchronized void publish(String topic, MqttMessage message) throws ConnectorException {
        try {
            if (publisher == null || !publisher.isConnected()) {
                dropPublisher();
                MqttClient c = client("junction-pub-" + UUID.randomUUID());
                c.connect(settings.options());
                publisher = c;
            }
            publisher.publish(topic, message); // QoS 1: returns after the broker's PUBACK
        } catch (MqttException e) {
            dropPublisher();
            throw MqttErrors.of(e, "publishing to '%s' at %s".formatted(topic, settings.address()));
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "mqtt 'publish': input.topic '%s' is invalid: %s".formatted(topic, e.getMessage()),
                    false);
        }
    }

    private void dropPublisher() {
        closeQuietly(publisher);
        publisher = null;
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        MqttClient c = null;
        try {
            c = client("junction-test-" + UUID.randomUUID());
            MqttConnectionOptions o = settings.options();
            c.connect(o);
            return TestResult.ok(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "connected to the MQTT v5 broker at " + settings.address());
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (MqttException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0), MqttErrors.of(e, "connecting to " + settings.address()));
        } finally {
            closeQuietly(c);
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return MqttConnector.DESCRIPTOR.operations();
    }

    @Override
    public StreamSource stream(StreamSource.Spec spec) throws ConnectorException {
        return MqttSource.open(this, spec);
    }

    @Override
    public synchronized void close() {
        dropPublisher();
    }

    static void closeQuietly(MqttClient c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2_000);
            }
        } catch (MqttException e) {
            try {
                c.disconnectForcibly(0, 1_000, false);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
        try {
            c.close(true);
        } catch (MqttException ignored) {
            // nothing left to release
        }
    }
}
