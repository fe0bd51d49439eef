package dev.junction.connector.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The amqp connector against the RabbitMQ server on 127.0.0.1:5672 (guest/guest). */
class AmqpConnectorTest {
    private static final CallContext CALL =
            new CallContext("run-1", "publish", "run-1:publish", Duration.ofSeconds(10));
    private static Connection admin;
    private static Channel channel;
    private static final List<String> queues = new ArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        admin = f.newConnection("test-admin");
        channel = admin.createChannel();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String q : queues) {
            channel.queueDelete(q);
        }
        admin.close();
    }

    private static String queue(Map<String, Object> args) throws Exception {
        String q = "jct-test-" + UUID.randomUUID().toString().substring(0, 8);
        channel.queueDeclare(q, true, false, false, args);
        queues.add(q);
        return q;
    }

    static ConnectorSession open(Map<String, Object> config, Map<String, String> secrets, AddressPolicy policy)
            throws ConnectorException {
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
        return new AmqpConnector().open(new ConnectionConfig("default", "mq", config, secrets), context);
    }

    private static ConnectorSession open() throws ConnectorException {
        return open(Map.of("host", "127.0.0.1"), Map.of("password", "guest"), AddressPolicy.allowingAll());
    }

    private static StreamSource.Spec spec(String queue, Map<String, Object> options) {
        return new StreamSource.Spec(queue, "orders-flow", "node-a", options);
    }

    @Test
    void publishesWithConfirmsAndTheMessageCarriesItsIdAndType() throws Exception {
        String q = queue(null);
        try (ConnectorSession s = open()) {
            Object out = s.invoke("publish", Map.of("routingKey", q, "body", Map.of("orderId", "A-1")), CALL);
            assertThat(out).isEqualTo(Map.of("published", true, "exchange", "", "routingKey", q));
        }
        GetResponse got = channel.basicGet(q, true);
        assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"A-1\"}");
        assertThat(got.getProps().getMessageId()).isEqualTo("run-1:publish");
        assertThat(got.getProps().getContentType()).isEqualTo("application/json");
        assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
    }

    @Test
    void anUnroutableMandatoryPublishFails() throws Exception {
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.invoke(
                            "publish",
                            Map.of("routingKey", "no-such-queue-" + UUID.randomUUID(), "body", "x", "mandatory", true),
                            CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("UNROUTABLE"));
        }
    }

    @Test
    void consumesWithAcknowledgementAndGivesBackWhatWasNotAcknowledged() throws Exception {
        String q = queue(null);
        for (int i = 1; i <= 3; i++) {
            channel.basicPublish("", q, null, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        try (ConnectorSession s = open()) {
            List<StreamSource.Message> first;
            try (StreamSource source = s.stream(spec(q, Map.of("prefetch", 2)))) {
                first = fetch(source, 2);
                assertThat(first).hasSize(2).as("prefetch bounds what the broker pushes");
                assertThat(source.fetch(10, Duration.ofMillis(200))).isEmpty();
                source.ack(first.getFirst());
                assertThat(fetch(source, 1)).hasSize(1); // the acknowledgement made room for the third
            }
            // closed without acknowledging two: the broker delivers them again, with the same keys
            try (StreamSource again = s.stream(spec(q, Map.of()))) {
                List<StreamSource.Message> redelivered = fetch(again, 2);
                assertThat(redelivered)
                        .extracting(StreamSource.Message::key)
                        .contains(first.get(1).key());
                assertThat(redelivered).allSatisfy(m -> assertThat(m.meta()).containsEntry("redelivered", true));
                for (StreamSource.Message m : redelivered) {
                    again.ack(m);
                }
            }
        }
        assertThat(channel.messageCount(q)).isZero();
    }

    @Test
    void aRejectedMessageGoesToTheDeadLetterExchange() throws Exception {
        String dead = queue(null);
        String dlx = "jct-dlx-" + UUID.randomUUID().toString().substring(0, 8);
        channel.exchangeDeclare(dlx, "fanout", false, true, null);
        channel.queueBind(dead, dlx, "");
        String q = queue(Map.of("x-dead-letter-exchange", dlx));
        channel.basicPublish("", q, null, "{broken".getBytes(StandardCharsets.UTF_8));
        try (ConnectorSession s = open();
                StreamSource source = s.stream(spec(q, Map.of()))) {
            StreamSource.Message m = fetch(source, 1).getFirst();
            source.reject(m, "not JSON");
        }
        GetResponse got = channel.basicGet(dead, true);
        assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("{broken");
    }

    @Test
    void failuresHaveStableCodes() throws Exception {
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.stream(spec("no-such-queue-" + UUID.randomUUID(), Map.of())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("SOURCE_NOT_FOUND"));
        }
        try (ConnectorSession s =
                open(Map.of("host", "127.0.0.1"), Map.of("password", "wrong"), AddressPolicy.allowingAll())) {
            TestResult t = s.test();
            assertThat(t.ok()).isFalse();
            assertThat(t.code()).isEqualTo("AUTH_FAILED");
            assertThat(t.message()).doesNotContain("wrong");
        }
        try (ConnectorSession s = open(Map.of("host", "127.0.0.1", "port", 1), Map.of(), AddressPolicy.allowingAll())) {
            assertThat(s.test().code()).isEqualTo("CONNECTION");
        }
        try (ConnectorSession s =
                open(Map.of("host", "127.0.0.1"), Map.of(), AddressPolicy.blockingInternal(List.of()))) {
            assertThat(s.test().code()).isEqualTo("ADDRESS_BLOCKED");
        }
        try (ConnectorSession s = open()) {
            TestResult ok = s.test();
            assertThat(ok.ok()).as(ok.message()).isTrue();
            assertThat(ok.message()).contains("RabbitMQ");
        }
    }

    private static List<StreamSource.Message> fetch(StreamSource source, int n) throws ConnectorException {
        List<StreamSource.Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(source.fetch(n - out.size(), Duration.ofMillis(500)));
        }
        return out;
    }
}
