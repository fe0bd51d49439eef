package dev.junction.connector.nats;

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
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
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

/** The nats connector against the NATS server (JetStream enabled) on 127.0.0.1:4222. */
class NatsConnectorTest {
    private static final CallContext CALL = new CallContext("run-1", "send", "run-1:send", Duration.ofSeconds(10));
    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String STREAM = "JCT_TEST_" + ID;
    private static final String SUBJECTS = "jct-" + ID;
    private static Connection admin;
    private static JetStreamManagement jsm;

    @BeforeAll
    static void connect() throws Exception {
        admin = Nats.connect("nats://127.0.0.1:4222");
        jsm = admin.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder()
                .name(STREAM)
                .subjects(SUBJECTS + ".>")
                .storageType(StorageType.Memory)
                .build());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        jsm.deleteStream(STREAM);
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
        return new NatsConnector().open(new ConnectionConfig("default", "nats", config, Map.of()), context);
    }

    private static ConnectorSession open() throws ConnectorException {
        return open(Map.of("host", "127.0.0.1"), AddressPolicy.allowingAll());
    }

    private static StreamSource.Spec js(String subject, String durable, Map<String, Object> more) {
        Map<String, Object> options = new java.util.HashMap<>(Map.of("jetstream", true, "stream", STREAM));
        options.putAll(more);
        return new StreamSource.Spec(subject, durable, "node-a", options);
    }

    private static void jsPublish(String subject, String body) throws Exception {
        admin.jetStream().publish(subject, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void publishesWithHeadersAndAnswersRequests() throws Exception {
        String subject = SUBJECTS + "-core.publish";
        Subscription listener = admin.subscribe(subject);
        admin.flush(Duration.ofSeconds(2));
        Dispatcher replier = admin.createDispatcher(m -> admin.publish(
                m.getReplyTo(),
                ("{\"echo\": " + new String(m.getData(), StandardCharsets.UTF_8) + "}")
                        .getBytes(StandardCharsets.UTF_8)));
        replier.subscribe(SUBJECTS + "-core.echo");
        admin.subscribe(SUBJECTS + "-core.silent");
        admin.flush(Duration.ofSeconds(2));
        try (ConnectorSession s = open()) {
            assertThat(s.invoke(
                            "publish",
                            Map.of("subject", subject, "body", Map.of("id", 1), "headers", Map.of("x-trace", "t1")),
                            CALL))
                    .isEqualTo(Map.of("published", true, "subject", subject));
            io.nats.client.Message got = listener.nextMessage(Duration.ofSeconds(5));
            assertThat(new String(got.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
            assertThat(got.getHeaders().getFirst("x-trace")).isEqualTo("t1");

            Map<?, ?> reply = (Map<?, ?>)
                    s.invoke("request", Map.of("subject", SUBJECTS + "-core.echo", "body", Map.of("q", 2)), CALL);
            assertThat(reply.get("body")).isEqualTo(Map.of("echo", Map.of("q", 2)));

            assertThatThrownBy(() -> s.invoke(
                            "request",
                            Map.of("subject", SUBJECTS + "-core.silent", "body", "x", "timeoutMillis", 300),
                            CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("TIMEOUT"));
            assertThatThrownBy(() -> s.invoke("request", Map.of("subject", SUBJECTS + "-core.nobody"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("NO_RESPONDERS"));
        } finally {
            admin.closeDispatcher(replier);
        }
    }

    @Test
    void publishesIntoJetStreamWithTheStreamsAck() throws Exception {
        try (ConnectorSession s = open()) {
            Map<?, ?> first =
                    (Map<?, ?>) s.invoke("jsPublish", Map.of("subject", SUBJECTS + ".ack", "body", "a"), CALL);
            assertThat(first.get("stream")).isEqualTo(STREAM);
            assertThat((Long) first.get("sequence")).isPositive();
            assertThat(first.get("duplicate")).isEqualTo(false);
            Map<?, ?> again =
                    (Map<?, ?>) s.invoke("jsPublish", Map.of("subject", SUBJECTS + ".ack", "body", "a"), CALL);
            assertThat(again.get("duplicate"))
                    .as("same idempotency key, same Nats-Msg-Id")
                    .isEqualTo(true);
            assertThat(again.get("sequence")).isEqualTo(first.get("sequence"));
            assertThatThrownBy(() -> s.invoke("jsPublish", Map.of("subject", "jct-no-stream-" + ID), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("SOURCE_NOT_FOUND"));
        }
    }

    @Test
    void aDurableConsumerDeliversAgainWhatWasNotAcknowledged() throws Exception {
        String subject = SUBJECTS + ".orders";
        for (int i = 1; i <= 5; i++) {
            jsPublish(subject, "{\"n\": " + i + "}");
        }
        try (ConnectorSession s = open()) {
            List<StreamSource.Message> first = new ArrayList<>();
            try (StreamSource source = s.stream(js(subject, "orders-flow", Map.of()))) {
                for (int i = 0; i < 6 && first.size() < 5; i++) {
                    List<StreamSource.Message> batch = source.fetch(2, Duration.ofMillis(300));
                    assertThat(batch.size()).as("fetch(2) answers at most 2").isLessThanOrEqualTo(2);
                    first.addAll(batch);
                }
                assertThat(first).hasSize(5);
                assertThat(first).extracting(StreamSource.Message::key).doesNotHaveDuplicates();
                assertThat(first.getFirst().key())
                        .isEqualTo("nats:js:" + STREAM + ":"
                                + first.getFirst().meta().get("sequence"));
                assertThat(first.getFirst().payload())
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo("{\"n\": 1}");
                source.ack(first.get(0));
                source.ack(first.get(1));
            }
            try (StreamSource again = s.stream(js(subject, "orders-flow", Map.of()))) {
                List<StreamSource.Message> redelivered = fetch(again, 3);
                assertThat(redelivered)
                        .extracting(StreamSource.Message::key)
                        .containsExactlyInAnyOrderElementsOf(first.subList(2, 5).stream()
                                .map(StreamSource.Message::key)
                                .toList());
                assertThat(redelivered).allSatisfy(m -> assertThat(m.meta()).containsEntry("redelivered", true));
                for (StreamSource.Message m : redelivered) {
                    again.ack(m);
                }
                assertThat(again.fetch(10, Duration.ofMillis(200))).isEmpty();
            }
        }
        ConsumerInfo info = jsm.getConsumerInfo(STREAM, "orders-flow");
        assertThat(info.getNumAckPending()).isZero();
        assertThat(info.getNumPending()).isZero();
    }

    @Test
    void aPullAnswersAsSoonAsMessagesAreThereRatherThanWaitingForAFullBatch() throws Exception {
        String subject = SUBJECTS + ".prompt";
        jsPublish(subject, "{\"n\": 1}");
        try (ConnectorSession s = open();
                StreamSource source = s.stream(js(subject, "prompt-flow", Map.of()))) {
            long t0 = System.nanoTime();
            List<StreamSource.Message> got = source.fetch(100, Duration.ofSeconds(8));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(got).hasSize(1);
            assertThat(took).as("one message there, 100 asked for").isLessThan(Duration.ofSeconds(4));
            source.ack(got.getFirst());
        }
    }

    @Test
    void aRejectedMessageIsTerminatedAndNotDeliveredAgain() throws Exception {
        String subject = SUBJECTS + ".poison";
        jsPublish(subject, "{broken");
        try (ConnectorSession s = open()) {
            try (StreamSource source = s.stream(js(subject, "poison-flow", Map.of()))) {
                source.reject(fetch(source, 1).getFirst(), "not JSON");
            }
            try (StreamSource again = s.stream(js(subject, "poison-flow", Map.of()))) {
                assertThat(again.fetch(10, Duration.ofMillis(500))).isEmpty();
            }
        }
        assertThat(jsm.getConsumerInfo(STREAM, "poison-flow").getNumAckPending())
                .isZero();
    }

    @Test
    void aCoreSubjectIsAtMostOnce() throws Exception {
        String subject = SUBJECTS + "-core.events";
        try (ConnectorSession s = open()) {
            try (StreamSource source = s.stream(new StreamSource.Spec(subject, "events-flow", "node-a", Map.of()))) {
                Headers h = new Headers().add("Nats-Msg-Id", "evt-1");
                admin.publish(subject, h, "{\"n\": 1}".getBytes(StandardCharsets.UTF_8));
                admin.publish(subject, "two".getBytes(StandardCharsets.UTF_8));
                admin.publish(subject, "three".getBytes(StandardCharsets.UTF_8));
                admin.flush(Duration.ofSeconds(2));
                List<StreamSource.Message> got = new ArrayList<>();
                for (int i = 0; i < 10 && got.size() < 3; i++) {
                    List<StreamSource.Message> batch = source.fetch(2, Duration.ofMillis(300));
                    assertThat(batch.size()).isLessThanOrEqualTo(2);
                    got.addAll(batch);
                }
                assertThat(got).hasSize(3);
                assertThat(got.getFirst().key()).isEqualTo("nats:" + subject + ":id:evt-1");
                assertThat(got).extracting(StreamSource.Message::key).doesNotHaveDuplicates();
            }
            // never acknowledged, but core NATS keeps nothing: a new subscription does not see them
            try (StreamSource again = s.stream(new StreamSource.Spec(subject, "events-flow", "node-a", Map.of()))) {
                assertThat(again.fetch(10, Duration.ofMillis(300))).isEmpty();
            }
        }
    }

    @Test
    void failuresHaveStableCodes() throws Exception {
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.stream(new StreamSource.Spec(
                            "x.>", "g", "n", Map.of("jetstream", true, "stream", "NO_SUCH_" + ID))))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("SOURCE_NOT_FOUND"));
            assertThatThrownBy(() -> s.stream(js(SUBJECTS + ".x", "no-such-consumer", Map.of("createConsumer", false))))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("SOURCE_NOT_FOUND"));
            assertThatThrownBy(() -> s.stream(new StreamSource.Spec("x.>", "g", "n", Map.of("jetstream", true))))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                            .contains("options.stream"));
            assertThatThrownBy(() -> s.invoke("subscribe", Map.of("subject", "x"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("OPERATION_NOT_FOUND"));
            assertThatThrownBy(() -> s.invoke("publish", Map.of("body", "x"), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                            .contains("input.subject"));
        }
        try (ConnectorSession s = open(Map.of("host", "127.0.0.1", "port", 1), AddressPolicy.allowingAll())) {
            assertThat(s.test().code()).isEqualTo("CONNECTION");
        }
        try (ConnectorSession s = open(Map.of("host", "127.0.0.1"), AddressPolicy.blockingInternal(List.of()))) {
            assertThat(s.test().code()).isEqualTo("ADDRESS_BLOCKED");
            assertThatThrownBy(() -> s.invoke("publish", Map.of("subject", "x"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("ADDRESS_BLOCKED"));
        }
        try (ConnectorSession s = open()) {
            TestResult ok = s.test();
            assertThat(ok.ok()).as(ok.message()).isTrue();
            assertThat(ok.message()).contains("JetStream enabled");
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
