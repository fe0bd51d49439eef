package dev.junction.connector.mqtt;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * A topic filter subscribed with QoS 1 through the shared subscription {@code
 * $share/<group>/<filter>} (several nodes share its messages), in a persistent session (clean start
 * false, {@code sessionExpirySeconds} 86400) whose client id is {@code junction-<group>-<node>}.
 * Acknowledgements are manual: the PUBACK goes out only when the run is durable, so a message not
 * acknowledged when the source closes or the node dies is delivered again when that session
 * reconnects — a restarted node resumes its session only if its node id is stable ({@code
 * JUNCTION_NODE_ID}). The broker sends at most {@code receiveMaximum} (100) unacknowledged messages,
 * which also bounds the local buffer. The key is the {@code message-id} user property when there is
 * one, else a digest of topic, properties and payload (identical messages without an id share a
 * key, so a flow sees one run for them). MQTT has no negative acknowledgement: a rejected message is
 * published to {@code deadLetterTopic} when set, then acknowledged.
 */
final class MqttSource implements StreamSource {
    private static final java.util.Set<String> KNOWN =
            java.util.Set.of("receiveMaximum", "sessionExpirySeconds", "shared", "deadLetterTopic");

    private final String filter;
    private final MqttClient client;
    private final String deadLetterTopic;
    private final LinkedBlockingQueue<Message> buffer;
    private volatile String broken;

    private MqttSource(String filter, MqttClient client, String deadLetterTopic, int capacity) {
        this.filter = filter;
        this.client = client;
        this.deadLetterTopic = deadLetterTopic;
        this.buffer = new LinkedBlockingQueue<>(capacity);
    }

    static MqttSource open(MqttSession session, Spec spec) throws ConnectorException {
        if (spec.source() == null || spec.source().isBlank()) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "the mqtt stream trigger needs a source: a topic filter such as 'sensors/+/temperature'",
                    false);
        }
        for (String name : spec.options().keySet()) {
            if (!KNOWN.contains(name)) {
                throw invalid(
                        name, "is not an option of the mqtt stream trigger; known: " + new java.util.TreeSet<>(KNOWN));
            }
        }
        int receiveMaximum = (int) whole(spec, "receiveMaximum", 100, 1, 65_535);
        long expiry = whole(spec, "sessionExpirySeconds", 86_400, 1, 4_294_967_295L);
        Object shared = spec.options().getOrDefault("shared", true);
        Object dead = spec.options().get("deadLetterTopic");
        String group = spec.group().replaceAll("[^A-Za-z0-9_-]", "_");
        String filter = Boolean.FALSE.equals(shared) ? spec.source() : "$share/" + group + "/" + spec.source();
        MqttClient client =
                session.client("junction-" + group + "-" + spec.consumer().replaceAll("[^A-Za-z0-9_.-]", "_"));
        MqttSource source =
                new MqttSource(spec.source(), client, dead == null ? null : String.valueOf(dead), receiveMaximum);
        try {
            client.setCallback(source.new Receiver());
            client.setManualAcks(true);
            MqttConnectionOptions options = session.settings().options();
            options.setCleanStart(false);
            options.setSessionExpiryInterval(expiry);
            options.setReceiveMaximum(receiveMaximum);
            client.connect(options);
            IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
            int granted = token.getReasonCodes() == null ? 0 : token.getReasonCodes()[0];
            if (granted >= 0x80) {
                throw new ConnectorException(
                        granted == 0x87 ? "AUTH_FAILED" : "CONFIG_INVALID",
                        "the broker refused the subscription to '%s' (reason 0x%02X%s)"
                                .formatted(
                                        filter, granted, granted == 0x9E ? ": shared subscriptions not supported" : ""),
                        false);
            }
            return source;
        } catch (MqttException e) {
            MqttSession.closeQuietly(client);
            throw MqttErrors.of(
                    e,
                    "subscribing to '%s' at %s"
                            .formatted(filter, session.settings().address()));
        } catch (IllegalArgumentException e) {
            MqttSession.closeQuietly(client);
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "the topic filter '%s' is invalid: %s".formatted(spec.source(), e.getMessage()),
                    false);
        } catch (ConnectorException | RuntimeException e) {
            MqttSession.closeQuietly(client);
            throw e;
        }
    }

    /** Buffers what the broker sends (blocking the client's reader when full); notes a lost connection. */
    private final class Receiver implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage m) throws InterruptedException {
            buffer.put(message(topic, m));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            broken = "disconnected: " + response;
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            broken = e.toString();
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    /** What {@link #ack} needs: the packet id and QoS the message came with. */
    private record Handle(int id, int qos, MqttMessage message, String topic) {}

    private Message message(String topic, MqttMessage m) {
        Map<String, String> headers = new TreeMap<>();
        MqttProperties p = m.getProperties();
        if (p != null && p.getUserProperties() != null) {
            for (UserProperty u : p.getUserProperties()) {
                headers.put(u.getKey(), u.getValue());
            }
        }
        if (p != null && p.getContentType() != null) {
            headers.put("content-type", p.getContentType());
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("topic", topic);
        meta.put("filter", filter);
        meta.put("qos", m.getQos());
        meta.put("retained", m.isRetained());
        meta.put("duplicate", m.isDuplicate()); // the DUP flag as the broker set it; not every broker does
        String id = headers.get(MqttSession.MESSAGE_ID);
        String key = id != null && !id.isBlank() ? "id:" + id : "sha256:" + digest(topic, headers, m.getPayload());
        return new Message(
                "mqtt:" + topic + ":" + key,
                m.getPayload(),
                headers,
                meta,
                new Handle(m.getId(), m.getQos(), m, topic));
    }

    @Override
    public List<Message> fetch(int max, Duration wait) throws ConnectorException {
        if (max < 1) {
            return List.of();
        }
        List<Message> out = new ArrayList<>();
        try {
            Message first = buffer.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                out.add(first);
                buffer.drainTo(out, max - 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out.isEmpty() && (broken != null || !client.isConnected())) {
            throw new ConnectorException(
                    "CONNECTION", "the subscription to '%s' lost its connection: %s".formatted(filter, broken), true);
        }
        return out;
    }

    @Override
    public void ack(Message message) throws ConnectorException {
        Handle h = (Handle) message.handle();
        if (h.qos() == 0) {
            return; // QoS 0 has no acknowledgement
        }
        try {
            client.messageArrivedComplete(h.id(), h.qos());
        } catch (MqttException e) {
            throw MqttErrors.of(e, "acknowledging " + message.key());
        }
    }

    @Override
    public void reject(Message message, String reason) throws ConnectorException {
        if (deadLetterTopic != null) {
            Handle h = (Handle) message.handle();
            MqttMessage dead = new MqttMessage(h.message().getPayload());
            dead.setQos(1);
            MqttProperties p = new MqttProperties();
            List<UserProperty> user = new ArrayList<>();
            message.headers().forEach((k, v) -> {
                if (!k.equals("content-type")) {
                    user.add(new UserProperty(k, v));
                }
            });
            user.add(new UserProperty("x-junction-reason", reason));
            user.add(new UserProperty("x-junction-topic", h.topic()));
            p.setUserProperties(user);
            dead.setProperties(p);
            try {
                client.publish(deadLetterTopic, dead);
            } catch (MqttException e) {
                throw MqttErrors.of(e, "publishing a rejected message to '%s'".formatted(deadLetterTopic));
            }
        }
        ack(message);
    }

    @Override
    public void close() {
        // a normal disconnect keeps the session: unacknowledged messages come again on reconnect
        MqttSession.closeQuietly(client);
    }

    private static long whole(Spec spec, String name, long fallback, long min, long max) throws ConnectorException {
        Object v = spec.options().getOrDefault(name, fallback);
        if (!(v instanceof Number n) || n.longValue() < min || n.longValue() > max) {
            throw invalid(name, "must be a whole number from %d to %d, not %s".formatted(min, max, v));
        }
        return n.longValue();
    }

    private static ConnectorException invalid(String name, String why) {
        return new ConnectorException("CONFIG_INVALID", "options.%s %s".formatted(name, why), false);
    }

    private static String digest(String topic, Map<String, String> headers, byte[] payload) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((topic + "\n" + headers + "\n").getBytes(StandardCharsets.UTF_8));
            d.update(payload);
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
