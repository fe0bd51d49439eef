package dev.junction.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.junction.engine.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} while a stream trigger consumes 1,000 records of a three-partition Kafka topic (an
 * in-process KRaft broker in this JVM) into a flow whose downstream is slow. After a restart on the
 * same data directory every record has produced exactly one run, every run completes, the sink saw
 * each order from one run only, and the consumer group has no lag: records received but not yet
 * committed were delivered again and recognised by their key {@code kafka:<topic>:<partition>:<offset>}.
 */
class KafkaKillNineIT {
    private static final int RECORDS = 1000;
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 3;

    @Test
    void everyRecordProducesExactlyOneRunAcrossAKill(@TempDir Path tmp) throws Exception {
        try (KafkaClusterTestKit cluster = startBroker(tmp.resolve("kafka"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
                CountingSink sink = new CountingSink(Duration.ofMillis(50))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get();
            produce(cluster.bootstrapServers());

            Path data = tmp.resolve("data");
            long committedAtKill;
            JunctionProcess first = JunctionProcess.start("kafka-kill9-first", data, Map.of());
            try (first) {
                createConnection(first, cluster.bootstrapServers());
                Faults.deploy(first, flow(sink.url()));
                await("a third of the records taken")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Faults.runs(first).size() >= 300);
                first.kill9();
            }
            committedAtKill = committed(admin);
            assertThat(committedAtKill)
                    .as("records whose offsets were not committed at the kill")
                    .isLessThan(RECORDS);

            try (JunctionProcess second = JunctionProcess.start("kafka-kill9-second", data, Map.of())) {
                await("every record has its run, finished")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> Faults.succeeded(Faults.runs(second)) >= RECORDS);
                List<Map<?, ?>> runs = Faults.runs(second);
                assertThat(runs).as("exactly one run per record").hasSize(RECORDS);
                assertThat(Faults.succeeded(runs)).isEqualTo(RECORDS);
                assertThat(sink.orders()).hasSize(RECORDS);
                Set<String> pushedByTwoRuns = sink.orders().stream()
                        .filter(o -> new HashSet<>(sink.keys(o)).size() > 1)
                        .collect(Collectors.toSet());
                assertThat(pushedByTwoRuns)
                        .as("orders pushed by more than one run")
                        .isEmpty();
                await("the consumer group has no lag")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> committed(admin) == RECORDS);
            }
        }
    }

    /** One combined broker and controller on localhost with single-replica internal topics. */
    private static KafkaClusterTestKit startBroker(Path dir) throws Exception {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dir)
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

    private static void produce(String bootstrap) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int n = 0; n < RECORDS; n++) {
                producer.send(new ProducerRecord<>(
                        TOPIC,
                        n % PARTITIONS,
                        Faults.orderId(n).getBytes(StandardCharsets.UTF_8),
                        Faults.order(n).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** The group's committed offsets, summed over the partitions (each partition starts at 0). */
    private static long committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(Faults.FLOW)
                .partitionsToOffsetAndMetadata()
                .get();
        long end = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(TOPIC, p);
            end += admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get()
                    .offset();
        }
        assertThat(end).as("records in the topic").isEqualTo(RECORDS);
        return offsets.values().stream()
                .filter(o -> o != null)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
    }

    private static String flow(String sinkUrl) {
        return """
                id: %s
                trigger:
                  type: stream
                  connection: events
                  source: %s
                  maxInFlight: 16
                  options: { sessionTimeoutMs: 6000 }
                steps:
                  - id: push
                    type: http
                    method: POST
                    url: "%s"
                    body: "{{ { 'externalId': trigger.body.orderId } }}"
                """.formatted(Faults.FLOW, TOPIC, sinkUrl);
    }

    private static void createConnection(JunctionProcess node, String bootstrap) throws Exception {
        HttpResponse<String> r = Faults.HTTP.send(
                HttpRequest.newBuilder(node.uri("/api/v1/connections"))
                        .header("Authorization", "Bearer " + JunctionProcess.KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                                "id",
                                "events",
                                "connector",
                                "kafka",
                                "config",
                                Map.of("bootstrapServers", bootstrap),
                                "activate",
                                true))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
