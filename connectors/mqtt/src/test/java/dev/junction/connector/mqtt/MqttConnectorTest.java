package dev.junction.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mqtt connector against the Mosquitto broker (MQTT v5) on 127.0.0.1:1883. */
class MqttConnectorTest {
    private static final CallContext CALL = new CallContext("run-1", "send", "run-1:send", Duration.ofSeconds(10));
    private static final String ROOT =
            "jct-test/" + UUID.randomUUID().toString().substring(0, 8);
    private static MqttClient admin;

    @BeforeAll
    static void connect() throws Exception {
        admin = new MqttClient("tcp://127.0.0.1:1883", "jct-admin-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        admin.connect(o);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        admin.disconnect();
        admin.close();
    }

    static ConnectorSession open(Map<String, Object> config, AddressPolicy policy) throws ConnectorException {
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AddressPolicy addresses() {
                return policy;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        return new MqttConnector().open(new ConnectionConfig("default", "mqtt", config, Map.of()), context);
    }

    private static ConnectorSession open() throws ConnectorException {
        return open(Map.of("host", "127.0.0.1"), AddressPolicy.allowingAll());
    }

    private static void send(String topic, String payload) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        admin.publish(topic, m);
    }

    /** Paho 1.2.5's subscribe(topic, qos, listener) recurses until the stack overflows: the array form works. */
    private static void listen(String topic, LinkedBlockingQueue<MqttMessage> into) throws Exception {
        admin.subscribe(
                new MqttSubscription[] {new MqttSubscription(topic, 1)},
                new IMqttMessageListener[] {(t, m) -> into.add(m)});
    }

    /** A session of this test's own, so no earlier run's session interferes. */
    private static StreamSource.Spec spec(String filter, String consumer, Map<String, Object> options) {
        Map<String, Object> o = new java.util.HashMap<>(options);
        o.putIfAbsent("sessionExpirySeconds", 60); // the broker forgets these test sessions soon
        return new StreamSource.Spec(
                filter, "flow-" + UUID.randomUUID().toString().substring(0, 8), consumer, o);
    }

    @Test
    void publishesWithQosRetainAndProperties() throws Exception {
        String topic = ROOT + "/publish";
        LinkedBlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        listen(topic, got);
        try (ConnectorSession s = open()) {
            Object out = s.invoke(
                    "publish",
                    Map.of("topic", topic, "payload", Map.of("t", 21.5), "headers", Map.of("site", "north")),
                    CALL);
            assertThat(out).isEqualTo(Map.of("published", true, "topic", topic, "qos", 1));
            MqttMessage m = got.poll(5, TimeUnit.SECONDS);
            assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21.5}");
            assertThat(m.getProperties().getContentType()).isEqualTo("application/json");
            assertThat(m.getProperties().getUserProperties())
                    .extracting(u -> u.getKey() + "=" + u.getValue())
                    .contains("site=north", "message-id=run-1:send");

            s.invoke("publish", Map.of("topic", ROOT + "/retained", "payload", "last", "qos", 0, "retain", true), CALL);
            LinkedBlockingQueue<MqttMessage> retained = new LinkedBlockingQueue<>();
            listen(ROOT + "/retained", retained);
            MqttMessage r = retained.poll(5, TimeUnit.SECONDS);
            assertThat(r.isRetained()).isTrue();
            assertThat(new String(r.getPayload(), StandardCharsets.UTF_8)).isEqualTo("last");
            s.invoke("publish", Map.of("topic", ROOT + "/retained", "payload", "", "retain", true), CALL); // clear it
        } finally {
            admin.unsubscribe(new String[] {topic, ROOT + "/retained"});
        }
    }

    @Test
    void acknowledgesManuallyAndGetsAgainWhatWasNotAcknowledged() throws Exception {
        String topic = ROOT + "/orders";
        StreamSource.Spec spec = spec(ROOT + "/+", "node-a", Map.of("receiveMaximum", 2));
        try (ConnectorSession s = open()) {
            List<StreamSource.Message> first;
            try (StreamSource source = s.stream(spec)) {
                for (int i = 1; i <= 3; i++) {
                    send(topic, "{\"n\": " + i + "}");
                }
                first = fetch(source, 2);
                assertThat(first).hasSize(2);
                assertThat(source.fetch(10, Duration.ofMillis(500)))
                        .as("receive maximum 2: the broker holds the third back")
                        .isEmpty();
                assertThat(first.getFirst().key()).startsWith("mqtt:" + topic + ":sha256:");
                assertThat(first.getFirst().payload())
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo("{\"n\": 1}");
                assertThat(first.getFirst().meta()).containsEntry("qos", 1).containsEntry("topic", topic);
                source.ack(first.getFirst());
                List<StreamSource.Message> third = fetch(source, 1);
                assertThat(third).hasSize(1); // the acknowledgement made room for it
                assertThat(third.getFirst().payload())
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo("{\"n\": 3}");
                first.add(third.getFirst());
            }
            // closed with two unacknowledged: the persistent session gets them again, same keys
            try (StreamSource again = s.stream(spec)) {
                List<StreamSource.Message> redelivered = fetch(again, 2);
                assertThat(redelivered)
                        .extracting(StreamSource.Message::key)
                        .containsExactlyInAnyOrder(
                                first.get(1).key(), first.get(2).key());
                for (StreamSource.Message m : redelivered) {
                    again.ack(m);
                }
            }
            try (StreamSource third = s.stream(spec)) {
                assertThat(third.fetch(10, Duration.ofMillis(500)))
                        .as("all acknowledged")
                        .isEmpty();
            }
        }
    }

    @Test
    void fetchNeverAnswersMoreThanAskedAndMessageIdsAreKeys() throws Exception {
        String topic = ROOT + "/batch";
        try (ConnectorSession s = open();
                StreamSource source = s.stream(spec(topic, "node-a", Map.of()))) {
            for (int i = 1; i <= 5; i++) {
                s.invoke("publish", Map.of("topic", topic, "payload", "m" + i, "messageId", "m-" + i), CALL);
            }
            List<StreamSource.Message> all = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (all.size() < 5 && System.nanoTime() < deadline) {
                List<StreamSource.Message> batch = source.fetch(2, Duration.ofMillis(300));
                assertThat(batch.size()).isLessThanOrEqualTo(2);
                all.addAll(batch);
            }
            assertThat(all)
                    .extracting(StreamSource.Message::key)
                    .containsExactlyInAnyOrder(
                            "mqtt:" + topic + ":id:m-1",
                            "mqtt:" + topic + ":id:m-2",
                            "mqtt:" + topic + ":id:m-3",
                            "mqtt:" + topic + ":id:m-4",
                            "mqtt:" + topic + ":id:m-5");
            for (StreamSource.Message m : all) {
                source.ack(m);
            }
        }
    }

    @Test
    void aRejectedMessageGoesToTheDeadLetterTopicAndIsAcknowledged() throws Exception {
        String topic = ROOT + "/poison";
        LinkedBlockingQueue<MqttMessage> dead = new LinkedBlockingQueue<>();
        listen(ROOT + "/dead", dead);
        StreamSource.Spec spec = spec(topic, "node-a", Map.of("deadLetterTopic", ROOT + "/dead"));
        try (ConnectorSession s = open()) {
            try (StreamSource source = s.stream(spec)) {
                send(topic, "{broken");
                source.reject(fetch(source, 1).getFirst(), "not JSON");
            }
            MqttMessage m = dead.poll(5, TimeUnit.SECONDS);
            assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{broken");
            assertThat(m.getProperties().getUserProperties())
                    .extracting(u -> u.getKey() + "=" + u.getValue())
                    .contains("x-junction-reason=not JSON");
            try (StreamSource again = s.stream(spec)) {
                assertThat(again.fetch(10, Duration.ofMillis(500)))
                        .as("acknowledged, not redelivered")
                        .isEmpty();
            }
        } finally {
            admin.unsubscribe(ROOT + "/dead");
        }
    }

    @Test
    void failuresHaveStableCodes() throws Exception {
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.invoke("subscribe", Map.of("topic", "x"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("OPERATION_NOT_FOUND"));
            assertThatThrownBy(() -> s.invoke("publish", Map.of("topic", "a/#"), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("input.topic");
                    });
            assertThatThrownBy(() -> s.invoke("publish", Map.of("topic", "a", "qos", 2), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                            .contains("input.qos"));
            assertThatThrownBy(() -> s.stream(spec("a/#/b", "node-a", Map.of())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("CONFIG_INVALID"));
        }
        try (ConnectorSession s = open(Map.of("host", "127.0.0.1", "port", 1), AddressPolicy.allowingAll())) {
            assertThat(s.test().code()).isEqualTo("CONNECTION");
        }
        try (ConnectorSession s = open(Map.of("host", "127.0.0.1"), AddressPolicy.blockingInternal(List.of()))) {
            assertThat(s.test().code()).isEqualTo("ADDRESS_BLOCKED");
            assertThatThrownBy(() -> s.stream(spec("x", "node-a", Map.of())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("ADDRESS_BLOCKED"));
        }
        try (ConnectorSession s = open()) {
            TestResult ok = s.test();
            assertThat(ok.ok()).as(ok.message()).isTrue();
            assertThat(ok.message()).contains("MQTT v5");
        }
    }

    private static List<StreamSource.Message> fetch(StreamSource source, int n) throws ConnectorException {
        List<StreamSource.Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(source.fetch(n - out.size(), Duration.ofMillis(300)));
        }
        return out;
    }
}
