package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.junction.engine.json.Json;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;

/**
 * Stream triggers on the machine's Redis, NATS (JetStream) and Mosquitto through the connections
 * API: per broker a flow consumes a stream, three messages published from outside and two published
 * by another flow's {@code call} step start exactly one run each, and the broker has nothing left
 * unacknowledged.
 */
class BrokerStreamsTest {
    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String REDIS_STREAM = "jct-srv-" + ID;
    private static final String NATS_STREAM = "JCT_SRV_" + ID;
    private static final String NATS_SUBJECT = "jct-srv-" + ID;
    private static final String MQTT_TOPIC = "jct-srv/" + ID + "/orders";
    private static TestServer server;
    private static RedisClient redis;
    private static io.nats.client.Connection nats;
    private static MqttClient mqtt;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisClient.create("127.0.0.1", 6379);
        nats = Nats.connect("nats://127.0.0.1:4222");
        nats.jetStreamManagement()
                .addStream(StreamConfiguration.builder()
                        .name(NATS_STREAM)
                        .subjects(NATS_SUBJECT + ".>")
                        .storageType(StorageType.Memory)
                        .build());
        mqtt = new MqttClient("tcp://127.0.0.1:1883", "jct-srv-" + ID, new MemoryPersistence());
        mqtt.connect(new MqttConnectionOptions());
        server = new TestServer(Map.of());
        connection("cache", "redis", Map.of("host", "127.0.0.1"));
        connection("nats", "nats", Map.of("host", "127.0.0.1"));
        connection("mqtt", "mqtt", Map.of("host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        redis.del(REDIS_STREAM);
        redis.close();
        JetStreamManagement jsm = nats.jetStreamManagement();
        jsm.deleteStream(NATS_STREAM);
        nats.close();
        mqtt.disconnect();
        mqtt.close();
    }

    private static void connection(String id, String connector, Map<String, Object> config) throws Exception {
        var created = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of("id", id, "connector", connector, "config", config, "activate", true)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void aRedisStreamStartsOneRunPerEntry() throws Exception {
        consume("redis-orders", "{ type: stream, connection: cache, source: %s }".formatted(REDIS_STREAM));
        for (int n = 1; n <= 3; n++) {
            redis.xadd(REDIS_STREAM, StreamEntryID.NEW_ENTRY, Map.of("body", "{\"n\": " + n + "}"));
        }
        publishFromAFlow(
                "redis-publisher",
                "cache",
                "xadd",
                "stream: " + REDIS_STREAM,
                "fields: { body: \"{{ { 'n': item } }}\" }");
        assertOneRunPerMessage("redis-orders");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> redis.xpending(REDIS_STREAM, "redis-orders").getTotal() == 0);
    }

    @Test
    void aJetStreamConsumerStartsOneRunPerMessage() throws Exception {
        consume(
                "nats-orders",
                "{ type: stream, connection: nats, source: \"%s.>\", options: { jetstream: true, stream: %s } }"
                        .formatted(NATS_SUBJECT, NATS_STREAM));
        for (int n = 1; n <= 3; n++) {
            nats.jetStream().publish(NATS_SUBJECT + ".new", ("{\"n\": " + n + "}").getBytes(StandardCharsets.UTF_8));
        }
        // a core publish on a subject the stream captures is stored by the stream too
        publishFromAFlow(
                "nats-publisher",
                "nats",
                "publish",
                "subject: " + NATS_SUBJECT + ".flow",
                "body: \"{{ { 'n': item } }}\"");
        assertOneRunPerMessage("nats-orders");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> nats.jetStreamManagement()
                                .getConsumerInfo(NATS_STREAM, "nats-orders")
                                .getNumAckPending()
                        == 0);
    }

    @Test
    void anMqttSharedSubscriptionStartsOneRunPerMessage() throws Exception {
        consume(
                "mqtt-orders",
                "{ type: stream, connection: mqtt, source: \"%s\", options: { sessionExpirySeconds: 60 } }"
                        .formatted(MQTT_TOPIC));
        for (int n = 1; n <= 3; n++) {
            MqttMessage m = new MqttMessage(("{\"n\": " + n + "}").getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            mqtt.publish(MQTT_TOPIC, m);
        }
        publishFromAFlow(
                "mqtt-publisher",
                "mqtt",
                "publish",
                "topic: " + MQTT_TOPIC,
                "payload: \"{{ { 'n': item } }}\"",
                // the step's idempotency key is the same in every iteration: each message needs an id of its own
                "messageId: \"{{ 'order-' & item }}\"");
        assertOneRunPerMessage("mqtt-orders");
    }

    /** Deploys a flow on {@code trigger} and waits until its consumer has opened the source. */
    private static void consume(String flowId, String trigger) throws Exception {
        var flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: %s
                trigger: %s
                steps:
                  - { id: double, type: map, expression: "trigger.body.n * 2" }
                """.formatted(flowId, trigger));
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> "consuming"
                .equals(((Map<?, ?>) TestServer.json(server.api("GET", "/api/v1/flows/" + flowId, null, null))
                                .getOrDefault("stream", Map.of()))
                        .get("status")));
    }

    /** A manual flow whose call step publishes {n: 4} and {n: 5}; runs it to success. */
    private static void publishFromAFlow(String flowId, String connection, String operation, String... input)
            throws Exception {
        var flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: %s
                trigger: { type: manual }
                steps:
                  - id: send
                    type: foreach
                    items: "[4, 5]"
                    steps:
                      - id: publish
                        type: call
                        connection: %s
                        operation: %s
                        input:
                          %s
                """.formatted(
                        flowId, connection, operation, String.join("\n          ", input)));
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        var started =
                TestServer.json(server.api("POST", "/api/v1/flows/" + flowId + "/runs", "application/json", "{}"));
        Map<String, Object> run = server.awaitFinished(String.valueOf(started.get("runId")));
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("SUCCEEDED");
    }

    @SuppressWarnings("unchecked")
    private static void assertOneRunPerMessage(String flowId) throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> runs(flowId).stream()
                                .filter(r -> "SUCCEEDED".equals(r.get("status")))
                                .count()
                        >= 5);
        List<Map<String, Object>> runs = runs(flowId);
        assertThat(runs).hasSize(5).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        Set<Object> numbers = runs.stream()
                .map(r -> {
                    try {
                        Map<String, Object> detail =
                                TestServer.json(server.api("GET", "/api/v1/runs/" + r.get("id"), null, null));
                        return ((Map<String, Object>) ((Map<String, Object>) detail.get("trigger")).get("body"))
                                .get("n");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .map(n -> ((Number) n).intValue())
                .collect(Collectors.toSet());
        assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(String flow) throws Exception {
        return (List<Map<String, Object>>)
                TestServer.json(server.api("GET", "/api/v1/runs?flow=" + flow + "&limit=500", null, null))
                        .get("items");
    }
}
