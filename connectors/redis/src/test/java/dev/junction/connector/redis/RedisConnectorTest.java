package dev.junction.connector.redis;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;

/** The redis connector against the Redis server on 127.0.0.1:6379. */
class RedisConnectorTest {
    private static final CallContext CALL = new CallContext("run-1", "step", "run-1:step", Duration.ofSeconds(10));
    private static final String PREFIX =
            "jct-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private static RedisClient admin;

    @BeforeAll
    static void connect() {
        admin = RedisClient.create("127.0.0.1", 6379);
    }

    @AfterAll
    static void cleanUp() {
        var keys = admin.keys(PREFIX + "*");
        if (!keys.isEmpty()) {
            admin.del(keys.toArray(String[]::new));
        }
        admin.close();
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
        return new RedisConnector().open(new ConnectionConfig("default", "cache", config, secrets), context);
    }

    private static ConnectorSession open() throws ConnectorException {
        return open(Map.of("host", "127.0.0.1"), Map.of(), AddressPolicy.allowingAll());
    }

    private static StreamSource.Spec spec(String stream, String consumer, Map<String, Object> options) {
        return new StreamSource.Spec(stream, "orders-flow", consumer, options);
    }

    private static String key(String name) {
        return PREFIX + name;
    }

    @Test
    @SuppressWarnings("unchecked")
    void commandsRoundTrip() throws Exception {
        try (ConnectorSession s = open()) {
            assertThat(s.invoke("set", Map.of("key", key("a"), "value", Map.of("n", 1), "expireSeconds", 60), CALL))
                    .isEqualTo(Map.of("key", key("a"), "written", true));
            assertThat(admin.ttl(key("a"))).isBetween(1L, 60L);
            assertThat(s.invoke("set", Map.of("key", key("a"), "value", "x", "onlyIfAbsent", true), CALL))
                    .isEqualTo(Map.of("key", key("a"), "written", false));
            assertThat(s.invoke("get", Map.of("key", key("a")), CALL))
                    .isEqualTo(Map.of("key", key("a"), "value", "{\"n\":1}", "exists", true));
            assertThat(s.invoke("del", Map.of("keys", List.of(key("a"), key("none"))), CALL))
                    .isEqualTo(Map.of("deleted", 1L));
            assertThat((Map<String, Object>) s.invoke("get", Map.of("key", key("a")), CALL))
                    .containsEntry("exists", false)
                    .containsEntry("value", null);

            assertThat(s.invoke("hset", Map.of("key", key("h"), "fields", Map.of("a", "1", "b", 2)), CALL))
                    .isEqualTo(Map.of("added", 2L));
            assertThat(s.invoke("hget", Map.of("key", key("h"), "field", "b"), CALL))
                    .isEqualTo(Map.of("value", "2", "exists", true));
            assertThat(s.invoke("hgetall", Map.of("key", key("h")), CALL))
                    .isEqualTo(Map.of("fields", Map.of("a", "1", "b", "2")));

            s.invoke("rpush", Map.of("key", key("l"), "values", List.of("b", "c")), CALL);
            assertThat(s.invoke("lpush", Map.of("key", key("l"), "values", List.of("a")), CALL))
                    .isEqualTo(Map.of("length", 3L));
            assertThat(s.invoke("lrange", Map.of("key", key("l"), "start", 0, "stop", 1), CALL))
                    .isEqualTo(Map.of("values", List.of("a", "b")));

            assertThat(s.invoke("publish", Map.of("channel", key("ch"), "message", "hi"), CALL))
                    .isEqualTo(Map.of("receivers", 0L));

            Object added =
                    s.invoke("xadd", Map.of("stream", key("s"), "fields", Map.of("body", Map.of("id", 7))), CALL);
            String id = String.valueOf(((Map<?, ?>) added).get("id"));
            var entries = admin.xrange(key("s"), (StreamEntryID) null, (StreamEntryID) null);
            assertThat(entries).hasSize(1);
            assertThat(entries.getFirst().getID().toString()).isEqualTo(id);
            assertThat(entries.getFirst().getFields()).isEqualTo(Map.of("body", "{\"id\":7}"));
        }
    }

    @Test
    void badInputAndUnknownOperationsHaveStableCodes() throws Exception {
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.invoke("flushall", Map.of(), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("OPERATION_NOT_FOUND"));
            assertThatThrownBy(() -> s.invoke("set", Map.of("key", key("k")), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("input.value");
                    });
            admin.set(key("str"), "x");
            assertThatThrownBy(() -> s.invoke("hgetall", Map.of("key", key("str")), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("WRONGTYPE");
                    });
        }
    }

    @Test
    void consumesThroughAGroupAndReadsAgainWhatWasNotAcknowledged() throws Exception {
        String stream = key("orders");
        for (int i = 1; i <= 5; i++) {
            admin.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("body", "{\"n\": " + i + "}", "source", "test"));
        }
        try (ConnectorSession s = open()) {
            List<StreamSource.Message> first = new ArrayList<>();
            try (StreamSource source = s.stream(spec(stream, "node-a", Map.of()))) {
                for (int i = 0; i < 3; i++) {
                    List<StreamSource.Message> batch = source.fetch(2, Duration.ofMillis(200));
                    assertThat(batch.size()).as("fetch(2) answers at most 2").isLessThanOrEqualTo(2);
                    first.addAll(batch);
                }
                assertThat(first).hasSize(5);
                assertThat(first.getFirst().payload())
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo("{\"n\": 1}");
                assertThat(first.getFirst().headers()).isEqualTo(Map.of("source", "test"));
                assertThat(first.getFirst().key()).startsWith("redis:" + stream + ":");
                assertThat(first).extracting(StreamSource.Message::key).doesNotHaveDuplicates();
                source.ack(first.get(0));
                source.ack(first.get(1));
                assertThat(source.fetch(10, Duration.ofMillis(100))).isEmpty();
            }
            // closed with three unacknowledged: this consumer reads them first when it opens again
            try (StreamSource again = s.stream(spec(stream, "node-a", Map.of()))) {
                List<StreamSource.Message> redelivered = fetch(again, 3);
                assertThat(redelivered)
                        .extracting(StreamSource.Message::key)
                        .containsExactlyElementsOf(first.subList(2, 5).stream()
                                .map(StreamSource.Message::key)
                                .toList());
                assertThat(redelivered).allSatisfy(m -> assertThat(m.meta()).containsEntry("redelivered", true));
                for (StreamSource.Message m : redelivered) {
                    again.ack(m);
                }
            }
        }
        assertThat(admin.xpending(stream, "orders-flow").getTotal()).isZero();
    }

    @Test
    void aPendingEntryDeletedFromTheStreamIsAcknowledgedAndSkipped() throws Exception {
        String stream = key("trimmed");
        StreamEntryID gone = admin.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("body", "gone"));
        admin.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("body", "kept"));
        try (ConnectorSession s = open()) {
            try (StreamSource source = s.stream(spec(stream, "node-a", Map.of()))) {
                assertThat(fetch(source, 2)).hasSize(2);
            }
            admin.xdel(stream, gone);
            try (StreamSource again = s.stream(spec(stream, "node-a", Map.of()))) {
                List<StreamSource.Message> left = fetch(again, 1);
                assertThat(again.fetch(10, Duration.ofMillis(200))).isEmpty();
                assertThat(left)
                        .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                        .containsExactly("kept");
                again.ack(left.getFirst());
            }
        }
        assertThat(admin.xpending(stream, "orders-flow").getTotal()).isZero();
    }

    @Test
    void anotherConsumerClaimsEntriesLeftByADeadOne() throws Exception {
        String stream = key("claimed");
        admin.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("body", "x"));
        try (ConnectorSession s = open()) {
            StreamSource.Message taken;
            try (StreamSource dead = s.stream(spec(stream, "node-old", Map.of()))) {
                taken = fetch(dead, 1).getFirst();
            }
            try (StreamSource source = s.stream(spec(stream, "node-new", Map.of("claimAfterSeconds", 1)))) {
                StreamSource.Message claimed = fetch(source, 1).getFirst();
                assertThat(claimed.key()).isEqualTo(taken.key());
                source.ack(claimed);
            }
        }
        assertThat(admin.xpending(stream, "orders-flow").getTotal()).isZero();
    }

    @Test
    void aRejectedEntryGoesToTheDeadLetterStreamAndIsAcknowledged() throws Exception {
        String stream = key("poison");
        admin.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("body", "{broken"));
        try (ConnectorSession s = open();
                StreamSource source = s.stream(spec(stream, "node-a", Map.of()))) {
            StreamSource.Message m = fetch(source, 1).getFirst();
            source.reject(m, "not JSON");
        }
        var dead = admin.xrange(stream + ":dead", (StreamEntryID) null, (StreamEntryID) null);
        assertThat(dead).hasSize(1);
        assertThat(dead.getFirst().getFields())
                .containsEntry("body", "{broken")
                .containsEntry("x-junction-reason", "not JSON");
        assertThat(admin.xpending(stream, "orders-flow").getTotal()).isZero();
        assertThat(admin.xpending(
                        stream, "orders-flow", XPendingParams.xPendingParams().count(10)))
                .isEmpty();
    }

    @Test
    void failuresHaveStableCodes() throws Exception {
        try (ConnectorSession s = open()) {
            assertThatThrownBy(() -> s.stream(spec(key("nothing"), "node-a", Map.of("createGroup", false))))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("SOURCE_NOT_FOUND"));
            admin.xadd(key("nogroup"), StreamEntryID.NEW_ENTRY, Map.of("body", "x"));
            assertThatThrownBy(() -> s.stream(spec(key("nogroup"), "node-a", Map.of("createGroup", false))))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("SOURCE_NOT_FOUND"));
            assertThatThrownBy(() -> s.stream(spec(key("x"), "node-a", Map.of("strat", "latest"))))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                            .contains("options.strat"));
        }
        try (ConnectorSession s = open(
                Map.of("host", "127.0.0.1", "username", "nobody"),
                Map.of("password", "s3cr3t-value"),
                AddressPolicy.allowingAll())) {
            TestResult t = s.test();
            assertThat(t.code()).isEqualTo("AUTH_FAILED");
            assertThat(t.message()).doesNotContain("s3cr3t-value");
        }
        try (ConnectorSession s = open(Map.of("host", "127.0.0.1", "port", 1), Map.of(), AddressPolicy.allowingAll())) {
            assertThat(s.test().code()).isEqualTo("CONNECTION");
            assertThatThrownBy(() -> s.invoke("get", Map.of("key", "k"), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("CONNECTION"));
        }
        try (ConnectorSession s =
                open(Map.of("host", "127.0.0.1"), Map.of(), AddressPolicy.blockingInternal(List.of()))) {
            assertThat(s.test().code()).isEqualTo("ADDRESS_BLOCKED");
            assertThatThrownBy(() -> s.stream(spec(key("x"), "node-a", Map.of())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("ADDRESS_BLOCKED"));
        }
        try (ConnectorSession s = open()) {
            TestResult ok = s.test();
            assertThat(ok.ok()).as(ok.message()).isTrue();
            assertThat(ok.message()).contains("Redis 7");
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
