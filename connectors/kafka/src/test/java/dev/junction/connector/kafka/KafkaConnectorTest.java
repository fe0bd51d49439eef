package dev.junction.connector.kafka;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

/** The kafka connector against one in-process KRaft broker (KafkaClusterTestKit), started once. */
class KafkaConnectorTest {
    private static final CallContext CALL =
            new CallContext("run-1", "produce", "run-1:produce", Duration.ofSeconds(20));
    private static KafkaClusterTestKit cluster;
    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> raw;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = startBroker();
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
        raw = new KafkaProducer<>(
                Map.of("bootstrap.servers", cluster.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** One combined broker and controller with single-replica internal topics. */
    static KafkaClusterTestKit startBroker() throws Exception {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
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
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return kit;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        raw.close();
        admin.close();
        cluster.close();
    }

    private static String topic(int partitions) throws Exception {
        String name = "jct-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all()
                .get();
        return name;
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
        return new KafkaConnector().open(new ConnectionConfig("default", "events", config, Map.of()), context);
    }

    private static ConnectorSession open() throws ConnectorException {
        return open(Map.of("bootstrapServers", cluster.bootstrapServers()), AddressPolicy.allowingAll());
    }

    private static StreamSource.Spec spec(String topic, String group, String node, Map<String, Object> options) {
        return new StreamSource.Spec(topic, group, node, options);
    }

    private static void send(String topic, int partition, String value) throws Exception {
        send(topic, partition, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(String topic, int partition, byte[] value) throws Exception {
        raw.send(new ProducerRecord<>(topic, partition, null, value)).get();
    }

    @Test
    void producesWithKeyHeadersAndPartitionAndTheStreamDeliversThem() throws Exception {
        String t = topic(2);
        try (ConnectorSession s = open()) {
            Object out = s.invoke(
                    "produce",
                    Map.of(
                            "topic",
                            t,
                            "key",
                            "customer-7",
                            "value",
                            Map.of("orderId", "A-1"),
                            "headers",
                            Map.of("source", "shop"),
                            "partition",
                            1),
                    CALL);
            assertThat(out).isEqualTo(Map.of("topic", t, "partition", 1, "offset", 0L));
            assertThat(s.invoke("produce", Map.of("topic", t, "value", "plain text", "partition", 0), CALL))
                    .isEqualTo(Map.of("topic", t, "partition", 0, "offset", 0L));

            try (StreamSource source = s.stream(spec(t, "g-roundtrip", "node-a", Map.of()))) {
                List<StreamSource.Message> got = fetch(source, 2);
                assertThat(got)
                        .extracting(StreamSource.Message::key)
                        .containsExactlyInAnyOrder("kafka:" + t + ":1:0", "kafka:" + t + ":0:0");
                StreamSource.Message json = got.stream()
                        .filter(m -> m.key().endsWith(":1:0"))
                        .findFirst()
                        .orElseThrow();
                assertThat(new String(json.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"A-1\"}");
                assertThat(json.headers())
                        .containsEntry("source", "shop")
                        .containsEntry("Idempotency-Key", "run-1:produce")
                        .containsEntry("content-type", "application/json");
                assertThat(json.meta())
                        .containsEntry("topic", t)
                        .containsEntry("partition", 1)
                        .containsEntry("offset", 0L)
                        .containsEntry("key", "customer-7");
                StreamSource.Message text = got.stream()
                        .filter(m -> m.key().endsWith(":0:0"))
                        .findFirst()
                        .orElseThrow();
                assertThat(new String(text.payload(), StandardCharsets.UTF_8)).isEqualTo("plain text");
                assertThat(text.headers()).doesNotContainKey("content-type");
            }
        }
    }

    @Test
    void commitsOffsetsOnlyUpToTheLowestUnacknowledgedMessage() throws Exception {
        String t = topic(1);
        for (int i = 0; i < 3; i++) {
            send(t, 0, "{\"n\": " + i + "}");
        }
        String group = "g-commit";
        try (ConnectorSession s = open()) {
            List<StreamSource.Message> first;
            try (StreamSource a = s.stream(spec(t, group, "node-a", Map.of()))) {
                first = fetch(a, 3);
                assertThat(first).hasSize(3);
                a.ack(first.get(0));
                a.ack(first.get(2)); // out of order: offset 1 is not durable yet
            }
            assertThat(committed(group, t, 0))
                    .as("the commit stops before offset 1")
                    .isEqualTo(1);

            try (StreamSource b = s.stream(spec(t, group, "node-b", Map.of()))) {
                List<StreamSource.Message> again = fetch(b, 2);
                assertThat(again)
                        .extracting(StreamSource.Message::key)
                        .as("delivered again with the same keys")
                        .containsExactly(first.get(1).key(), first.get(2).key());
                assertThat(b.fetch(10, Duration.ofMillis(300))).isEmpty();
                for (StreamSource.Message m : again) {
                    b.ack(m);
                }
                b.fetch(1, Duration.ofMillis(10)); // the next fetch commits what was acknowledged
                assertThat(committed(group, t, 0)).isEqualTo(3);
            }
        }
    }

    @Test
    void twoSourcesInOneGroupShareThePartitions() throws Exception {
        String t = topic(2);
        String group = "g-share";
        try (ConnectorSession s = open();
                StreamSource a = s.stream(spec(t, group, "node-a", Map.of()));
                StreamSource b = s.stream(spec(t, group, "node-b", Map.of()))) {
            KafkaSource ka = (KafkaSource) a;
            KafkaSource kb = (KafkaSource) b;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((ka.assignment().size() != 1 || kb.assignment().size() != 1) && System.nanoTime() < deadline) {
                a.fetch(0, Duration.ofMillis(100)); // takes part in the group's rebalance, fetches nothing
                b.fetch(0, Duration.ofMillis(100));
            }
            assertThat(ka.assignment()).hasSize(1);
            assertThat(kb.assignment()).hasSize(1).doesNotContainAnyElementsOf(ka.assignment());
            for (int i = 0; i < 10; i++) {
                send(t, 0, "{\"p\": 0, \"n\": " + i + "}");
                send(t, 1, "{\"p\": 1, \"n\": " + i + "}");
            }
            List<StreamSource.Message> fromA = new ArrayList<>();
            List<StreamSource.Message> fromB = new ArrayList<>();
            while (fromA.size() + fromB.size() < 20 && System.nanoTime() < deadline) {
                fromA.addAll(a.fetch(10, Duration.ofMillis(100)));
                fromB.addAll(b.fetch(10, Duration.ofMillis(100)));
            }
            assertThat(fromA).hasSize(10);
            assertThat(fromB).hasSize(10);
            int partitionOfA = ka.assignment().iterator().next().partition();
            assertThat(fromA).allSatisfy(m -> assertThat(m.meta()).containsEntry("partition", partitionOfA));
            assertThat(fromB).allSatisfy(m -> assertThat(m.meta()).containsEntry("partition", 1 - partitionOfA));
        }
    }

    @Test
    void fetchIsBoundedAndPartitionsPauseWhileRecordsWaitInTheBuffer() throws Exception {
        String t = topic(1);
        for (int i = 0; i < 50; i++) {
            send(t, 0, "{\"n\": " + i + "}");
        }
        try (ConnectorSession s = open();
                StreamSource source = s.stream(spec(t, "g-bounded", "node-a", Map.of("maxPollRecords", 10)))) {
            KafkaSource k = (KafkaSource) source;
            List<String> keys = new ArrayList<>();
            boolean pausedSeen = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (keys.size() < 50 && System.nanoTime() < deadline) {
                List<StreamSource.Message> got = source.fetch(3, Duration.ofMillis(200));
                assertThat(got).hasSizeLessThanOrEqualTo(3);
                assertThat(k.buffered()).as("one poll's worth at most").isLessThanOrEqualTo(10);
                if (k.buffered() > 0) {
                    assertThat(k.pausedPartitions())
                            .as("paused while records wait")
                            .isEqualTo(1);
                    pausedSeen = true;
                }
                for (StreamSource.Message m : got) {
                    keys.add(m.key());
                    source.ack(m);
                }
            }
            assertThat(pausedSeen).isTrue();
            assertThat(k.buffered()).isZero();
            assertThat(k.pausedPartitions()).as("resumed once drained").isZero();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add("kafka:" + t + ":0:" + i);
            }
            assertThat(keys).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aRejectedMessageGoesToTheDeadLetterTopicWithItsBytesAndTheConsumerGoesOn() throws Exception {
        String t = topic(1);
        String dead = topic(1);
        byte[] poison = {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b};
        send(t, 0, poison);
        send(t, 0, "{\"n\": 1}");
        String group = "g-poison";
        try (ConnectorSession s = open();
                StreamSource source = s.stream(spec(t, group, "node-a", Map.of("deadLetterTopic", dead)))) {
            List<StreamSource.Message> got = fetch(source, 2);
            assertThat(got.get(0).payload()).isEqualTo(poison);
            source.reject(got.get(0), "the message is not UTF-8 text (4 bytes)");
            source.ack(got.get(1));
            source.fetch(1, Duration.ofMillis(10));
            assertThat(committed(group, t, 0)).isEqualTo(2);
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        cluster.bootstrapServers(),
                        "group.id",
                        "dlt-reader",
                        "auto.offset.reset",
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(dead));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).hasSize(1);
            assertThat(records.getFirst().value()).isEqualTo(poison);
            assertThat(new String(
                            records.getFirst()
                                    .headers()
                                    .lastHeader("x-junction-source")
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("kafka:" + t + ":0:0");
            assertThat(new String(
                            records.getFirst()
                                    .headers()
                                    .lastHeader("x-junction-reason")
                                    .value(),
                            StandardCharsets.UTF_8))
                    .contains("not UTF-8");
        }
    }

    @Test
    void anUnknownTopicIsSourceNotFoundOrTopicNotFound() throws Exception {
        String missing = "no-such-topic-" + UUID.randomUUID();
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.stream(spec(missing, "g-missing", "node-a", Map.of())))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("SOURCE_NOT_FOUND");
                        assertThat(e.getMessage()).contains(missing);
                    });
            assertThatThrownBy(() -> s.invoke("produce", Map.of("topic", missing, "value", "x"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("TOPIC_NOT_FOUND"));
        }
    }

    @Test
    void anUnreachableClusterFailsQuicklyWithConnection() throws Exception {
        long t0 = System.nanoTime();
        try (ConnectorSession s = open(Map.of("bootstrapServers", "127.0.0.1:1"), AddressPolicy.allowingAll())) {
            TestResult t = s.test();
            assertThat(t.ok()).isFalse();
            assertThat(t.code()).isEqualTo("CONNECTION");
            assertThat(t.message()).contains("127.0.0.1:1");
            assertThatThrownBy(() -> s.stream(spec("orders", "g-down", "node-a", Map.of())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("CONNECTION"));
            assertThatThrownBy(() -> s.invoke("produce", Map.of("topic", "orders", "value", "x"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("CONNECTION"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBlockedAddressIsRefusedBeforeAnyClientConnects() throws Exception {
        try (ConnectorSession s = open(
                Map.of("bootstrapServers", cluster.bootstrapServers()), AddressPolicy.blockingInternal(List.of()))) {
            assertThat(s.test().code()).isEqualTo("ADDRESS_BLOCKED");
            assertThatThrownBy(() -> s.stream(spec("orders", "g-blocked", "node-a", Map.of())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("ADDRESS_BLOCKED"));
            assertThatThrownBy(() -> s.invoke("produce", Map.of("topic", "orders", "value", "x"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("ADDRESS_BLOCKED"));
        }
    }

    @Test
    void testDescribesTheClusterAndBadInputIsAnAnswer() throws Exception {
        String t = topic(1);
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.invoke("produce", Map.of("topic", t, "value", "x", "partition", 5), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("5");
                    });
            assertThatThrownBy(() -> s.invoke("produce", Map.of("topic", t, "value", "x", "color", "red"), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("input.color");
                    });
            TestResult ok = s.test();
            assertThat(ok.ok()).as(ok.message()).isTrue();
            assertThat(ok.message()).contains("1 broker(s)");
            assertThatThrownBy(() -> s.invoke("produce", Map.of("value", "x"), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("input.topic");
                    });
            assertThatThrownBy(() -> s.stream(spec("orders", "g", "node-a", Map.of("startFrom", "middle"))))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("CONFIG_INVALID"));
        }
        assertThatThrownBy(() -> open(Map.of("bootstrapServers", "kafka-1"), AddressPolicy.allowingAll()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo("CONFIG_INVALID");
                    assertThat(e.getMessage()).contains("'kafka-1' is not host:port");
                });
    }

    private static long committed(String group, String topic, int partition) throws Exception {
        TopicPartition tp = new TopicPartition(topic, partition);
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        OffsetAndMetadata o = offsets.get(tp);
        return o == null ? -1 : o.offset();
    }

    static List<StreamSource.Message> fetch(StreamSource source, int n) throws ConnectorException {
        List<StreamSource.Message> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            for (StreamSource.Message m : source.fetch(n - out.size(), Duration.ofMillis(200))) {
                assertThat(seen.add(m.key()))
                        .as("no duplicate within one source: " + m.key())
                        .isTrue();
                out.add(m);
            }
        }
        return out;
    }
}
