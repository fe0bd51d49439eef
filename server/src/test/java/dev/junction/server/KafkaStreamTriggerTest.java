package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.junction.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka stream trigger through the connections API, on an in-process KRaft broker: a poison record
 * becomes a dead letter with its bytes (in Junction and in the dead-letter topic) and the consumer
 * goes on with the records after it, which another flow's {@code produce} calls wrote; the group's
 * offsets end committed past every record.
 */
class KafkaStreamTriggerTest {
    private static final String TOPIC = "orders";
    private static final String DEAD = "orders.dead";
    private static KafkaClusterTestKit cluster;
    private static Admin admin;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1), new NewTopic(DEAD, 1, (short) 1)))
                .all()
                .get();
        server = new TestServer(Map.of());
        var created = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        "events",
                        "connector",
                        "kafka",
                        "config",
                        Map.of("bootstrapServers", cluster.bootstrapServers()),
                        "activate",
                        true)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        admin.close();
        cluster.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(String flow) throws Exception {
        return (List<Map<String, Object>>)
                TestServer.json(server.api("GET", "/api/v1/runs?flow=" + flow + "&limit=500", null, null))
                        .get("items");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPoisonRecordIsADeadLetterWithItsBytesAndTheRecordsAfterItStillStartRuns() throws Exception {
        byte[] poison = "{\"qty\": ".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                Map.of("bootstrap.servers", cluster.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, poison);
            r.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            raw.send(r).get();
        }
        var flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: kafka-orders
                trigger:
                  type: stream
                  connection: events
                  source: %s
                  options: { deadLetterTopic: %s }
                steps:
                  - { id: total, type: map, expression: "trigger.body.qty * trigger.body.price" }
                """.formatted(TOPIC, DEAD));
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        var producer = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: produce-orders
                trigger: { type: manual }
                steps:
                  - id: send
                    type: foreach
                    items: "[1, 2, 3]"
                    steps:
                      - id: produce
                        type: call
                        connection: events
                        operation: produce
                        input:
                          topic: %s
                          key: "{{ 'order-' & item }}"
                          value: "{{ { 'qty': item, 'price': 10 } }}"
                """.formatted(TOPIC));
        assertThat(producer.statusCode()).as(producer.body()).isEqualTo(201);
        var started =
                TestServer.json(server.api("POST", "/api/v1/flows/produce-orders/runs", "application/json", "{}"));
        assertThat(server.awaitFinished(String.valueOf(started.get("runId"))).get("status"))
                .isEqualTo("SUCCEEDED");

        await().atMost(Duration.ofSeconds(60))
                .until(() -> runs("kafka-orders").stream()
                                .filter(r -> !"RUNNING".equals(r.get("status")))
                                .count()
                        == 4);
        List<Map<String, Object>> runs = runs("kafka-orders");
        assertThat(runs).filteredOn(r -> "SUCCEEDED".equals(r.get("status"))).hasSize(3);
        Map<String, Object> dead = runs.stream()
                .filter(r -> "FAILED".equals(r.get("status")))
                .findFirst()
                .orElseThrow();
        Map<String, Object> detail = TestServer.json(server.api("GET", "/api/v1/runs/" + dead.get("id"), null, null));
        assertThat(String.valueOf(detail.get("error"))).contains("PAYLOAD_INVALID");
        Map<String, Object> trigger = (Map<String, Object>) detail.get("trigger");
        assertThat(trigger.get("raw")).isEqualTo("eyJxdHkiOiA=");
        assertThat((Map<String, Object>) trigger.get("meta"))
                .containsEntry("topic", TOPIC)
                .containsEntry("partition", 0)
                .containsEntry("offset", 0);
        assertThat(server.api("GET", "/api/v1/dead-letters", null, null).body())
                .contains(String.valueOf(dead.get("id")));
        Map<String, Object> view = TestServer.json(server.api("GET", "/api/v1/flows/kafka-orders", null, null));
        assertThat((Map<String, Object>) view.get("stream"))
                .containsEntry("status", "consuming")
                .containsEntry("received", 4)
                .containsEntry("rejected", 1);
        assertThat(deadTopic()).containsExactly(new String(poison, StandardCharsets.UTF_8));
        await("offsets committed past every record")
                .atMost(Duration.ofSeconds(30))
                .until(() -> committed("kafka-orders") == 4);
    }

    private static long committed(String group) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(new TopicPartition(TOPIC, 0));
        return o == null ? -1 : o.offset();
    }

    private static List<String> deadTopic() {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        cluster.bootstrapServers(),
                        "group.id",
                        "dead-reader",
                        "auto.offset.reset",
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(DEAD));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
