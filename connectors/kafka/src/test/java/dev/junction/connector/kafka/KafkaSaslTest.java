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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SASL/PLAIN against an in-process broker whose listener requires it (the test kit's users). */
class KafkaSaslTest {
    private static final CallContext CALL =
            new CallContext("run-1", "produce", "run-1:produce", Duration.ofSeconds(20));
    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(false)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1)))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    private static ConnectorSession open(String username, String password) throws ConnectorException {
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AddressPolicy addresses() {
                return AddressPolicy.allowingAll();
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        return new KafkaConnector()
                .open(
                        new ConnectionConfig(
                                "default",
                                "secured",
                                Map.of(
                                        "bootstrapServers",
                                        cluster.bootstrapServers(),
                                        "mechanism",
                                        "PLAIN",
                                        "username",
                                        username),
                                Map.of("password", password)),
                        context);
    }

    @Test
    void refusedCredentialsAreAuthFailedEverywhereAndTheAnswerKeepsThePasswordOut() throws Exception {
        try (ConnectorSession s = open(JaasUtils.KAFKA_PLAIN_ADMIN, "not-the-password")) {
            TestResult t = s.test();
            assertThat(t.ok()).isFalse();
            assertThat(t.code()).isEqualTo("AUTH_FAILED");
            assertThat(t.message()).doesNotContain("not-the-password");
            assertThatThrownBy(() -> s.stream(new StreamSource.Spec("orders", "g", "node-a", Map.of())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("AUTH_FAILED"));
            assertThatThrownBy(() -> s.invoke("produce", Map.of("topic", "orders", "value", "x"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("AUTH_FAILED"));
        }
    }

    @Test
    void acceptedCredentialsProduceAndConsume() throws Exception {
        try (ConnectorSession s = open(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD)) {
            TestResult t = s.test();
            assertThat(t.ok()).as(t.message()).isTrue();
            assertThat(s.invoke("produce", Map.of("topic", "orders", "value", Map.of("n", 1)), CALL))
                    .isEqualTo(Map.of("topic", "orders", "partition", 0, "offset", 0L));
            try (StreamSource source = s.stream(new StreamSource.Spec("orders", "g-ok", "node-a", Map.of()))) {
                assertThat(KafkaConnectorTest.fetch(source, 1))
                        .extracting(StreamSource.Message::key)
                        .containsExactly("kafka:orders:0:0");
            }
        }
    }
}
