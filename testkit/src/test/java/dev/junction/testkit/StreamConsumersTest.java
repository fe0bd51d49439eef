package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.port.Connections;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.stream.StreamConsumers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stream triggers on in-memory stores with a fake broker: one run per message, ack after durable, poison, back-pressure. */
class StreamConsumersTest {
    /** The fake broker's queue: unacknowledged messages go back to the front when a source closes. */
    private final ConcurrentLinkedDeque<StreamSource.Message> queue = new ConcurrentLinkedDeque<>();

    private final List<String> acked = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetchedAtMost = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private final Semaphore callsMayFinish = new Semaphore(1_000_000);
    private final AtomicInteger callsInProgress = new AtomicInteger();

    private final Connections broker = new Connections() {
        @Override
        public Object call(String ws, String connection, String operation, Object input, CallContext ctx) {
            callsInProgress.incrementAndGet();
            callsMayFinish.acquireUninterruptibly();
            callsInProgress.decrementAndGet();
            return Map.of("done", true);
        }

        @Override
        public OutboundHttp http(String ws, String connection) throws ConnectorException {
            throw Connections.notFound(connection);
        }

        @Override
        public Map<String, String> secrets(String ws) {
            return Map.of();
        }

        @Override
        public StreamSource stream(String ws, String connection, StreamSource.Spec spec) throws ConnectorException {
            if (!connection.equals("mq")) {
                throw Connections.notFound(connection);
            }
            List<StreamSource.Message> unacked = new CopyOnWriteArrayList<>();
            return new StreamSource() {
                @Override
                public List<Message> fetch(int max, Duration wait) {
                    fetchedAtMost.accumulateAndGet(max, Math::max);
                    List<Message> out = new ArrayList<>();
                    for (Message m; out.size() < max && (m = queue.pollFirst()) != null; ) {
                        out.add(m);
                    }
                    if (out.isEmpty()) {
                        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                    }
                    unacked.addAll(out);
                    delivered.addAndGet(out.size());
                    return out;
                }

                @Override
                public void ack(Message message) {
                    unacked.remove(message);
                    acked.add(message.key());
                }

                @Override
                public void reject(Message message, String reason) {
                    unacked.remove(message);
                    rejected.add(message.key());
                }

                @Override
                public void close() {
                    unacked.reversed().forEach(queue::addFirst);
                    unacked.clear();
                }
            };
        }
    };
    private final EngineHarness h = new EngineHarness(broker);
    private final StreamConsumers consumers =
            new StreamConsumers(h.flows, h.engine, broker, h.clock, h.clock, "node-a");

    @AfterEach
    void stop() {
        consumers.close();
        callsMayFinish.release(1_000);
    }

    private void send(String key, String payload) {
        queue.addLast(new StreamSource.Message(
                key, payload.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of("queue", "orders"), null));
    }

    private List<Run> runs(String flow) {
        return h.runs.list("default", new RunQuery(flow, null, null, null, null, 500))
                .items();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10s");
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    @Test
    void eachMessageStartsOneRunAndIsAcknowledgedOnceStored() {
        h.deploy("""
                id: orders
                trigger: { type: stream, connection: mq, source: orders }
                steps: [ { id: total, type: map, expression: "trigger.body.qty * 2" } ]
                """);
        send("m-1", "{\"qty\": 3}");
        send("m-2", "plain text");
        send("m-1", "{\"qty\": 3}"); // redelivered by the broker: no second run
        assertThat(consumers.sync()).isEqualTo(1);
        await(() -> acked.size() == 3);
        await(() -> runs("orders").stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED));
        List<Run> runs = runs("orders");
        assertThat(runs).hasSize(2);
        assertThat(runs)
                .extracting(r -> (Object) ((Map<?, ?>) r.trigger()).get("body"))
                .containsExactlyInAnyOrder((Object) Map.of("qty", 3), "plain text");
        assertThat(runs).allSatisfy(r -> assertThat(((Map<?, ?>) r.trigger()).get("meta"))
                .isEqualTo(Map.of("queue", "orders")));
        assertThat(consumers.status("default", "orders").orElseThrow())
                .containsEntry("status", "consuming")
                .containsEntry("received", 3L);
    }

    @Test
    void aPoisonMessageBecomesADeadLetterWithItsBytesAndTheConsumerGoesOn() {
        h.deploy("""
                id: orders
                trigger: { type: stream, connection: mq, source: orders }
                steps: [ { id: a, type: map, expression: "trigger.body" } ]
                """);
        send("bad", "{\"qty\": 3,");
        send("good", "{\"qty\": 4}");
        consumers.sync();
        await(() -> acked.size() == 1 && rejected.size() == 1);
        assertThat(rejected).containsExactly("bad");
        await(() -> runs("orders").stream().noneMatch(r -> r.status() == RunStatus.RUNNING));
        Run dead = runs("orders").stream()
                .filter(r -> r.status() == RunStatus.FAILED)
                .findFirst()
                .orElseThrow();
        assertThat(dead.error().code()).isEqualTo("PAYLOAD_INVALID");
        assertThat(dead.error().message()).startsWith("the message is not valid JSON");
        assertThat(((Map<?, ?>) dead.trigger()).get("raw"))
                .isEqualTo(
                        java.util.Base64.getEncoder().encodeToString("{\"qty\": 3,".getBytes(StandardCharsets.UTF_8)));
        assertThat(runs("orders"))
                .filteredOn(r -> r.status() == RunStatus.SUCCEEDED)
                .hasSize(1);
    }

    @Test
    void aSaturatedConsumerLeavesTheBacklogInTheBroker() {
        h.deploy("""
                id: slow
                trigger: { type: stream, connection: mq, source: orders, maxInFlight: 3 }
                steps: [ { id: erp, type: call, connection: erp, operation: slow } ]
                """);
        callsMayFinish.drainPermits();
        for (int i = 0; i < 50; i++) {
            send("m-" + i, "{\"n\": " + i + "}");
        }
        consumers.sync();
        await(() -> callsInProgress.get() == 3);
        assertThat(delivered.get()).as("taken from the broker while saturated").isEqualTo(3);
        assertThat(queue).hasSize(47);
        assertThat(fetchedAtMost.get()).isLessThanOrEqualTo(3);
        callsMayFinish.release(50);
        await(() ->
                runs("slow").size() == 50 && runs("slow").stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED));
        await(() -> acked.size() == 50); // a run may finish before its message's ack is noted
        assertThat(acked).doesNotHaveDuplicates();
    }

    @Test
    void aFlowWithANewVersionIsConsumedByItAndADisabledOneNoLonger() {
        h.deploy("""
                id: orders
                trigger: { type: stream, connection: mq, source: orders }
                steps: [ { id: a, type: map, expression: "'v1'" } ]
                """);
        consumers.sync();
        h.deploy("""
                id: orders
                trigger: { type: stream, connection: mq, source: orders }
                steps: [ { id: a, type: map, expression: "'v2'" } ]
                """);
        assertThat(consumers.sync()).isEqualTo(1);
        send("m-1", "{}");
        await(() -> acked.size() == 1);
        assertThat(runs("orders").getFirst().flowVersion()).isEqualTo(2);
        h.flows.disable("default", "orders");
        assertThat(consumers.sync()).isZero();
        assertThat(consumers.status("default", "orders")).isEmpty();
    }
}
