package dev.junction.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a burst of 1,000 webhook events whose downstream is slow, on the
 * embedded SQLite default. After a restart on the same data directory every event has exactly one
 * run, every run completes, and every downstream call carries the run's idempotency key.
 */
class KillNineIT {
    private static final int EVENTS = 1000;

    @Test
    void aKilledNodeLosesNoAcknowledgedEventAndNeverStartsASecondRun(@TempDir Path tmp) throws Exception {
        try (CountingSink sink = new CountingSink(Duration.ofMillis(20))) {
            Path data = tmp.resolve("data");
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            JunctionProcess first = JunctionProcess.start("kill9-first", data, Map.of());
            try (first) {
                Faults.deploy(first, Faults.orderFlow(sink.url()));
                Faults.burst(
                        EVENTS,
                        16,
                        n -> first,
                        (n, a) -> {
                            if (a.status() == 202) {
                                acknowledged.put(Faults.orderId(n), a.runId());
                            }
                        },
                        () -> acknowledged.size() >= 300,
                        first::kill9);
            }
            assertThat(acknowledged.size()).as("killed mid-burst").isBetween(300, EVENTS - 1);

            try (JunctionProcess second = JunctionProcess.start("kill9-second", data, Map.of())) {
                // The client sends every event again, as a client does after errors and timeouts.
                Map<String, String> answered = new ConcurrentHashMap<>();
                Faults.burst(
                        EVENTS,
                        16,
                        n -> second,
                        (n, a) -> {
                            assertThat(a.status()).as(a.body()).isEqualTo(202);
                            answered.put(Faults.orderId(n), a.runId());
                        },
                        null,
                        null);
                assertThat(answered).hasSize(EVENTS);
                acknowledged.forEach((order, run) -> assertThat(answered.get(order))
                        .as("the original run of " + order)
                        .isEqualTo(run));

                await("every run finished")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> Faults.succeeded(Faults.runs(second)) == EVENTS);
                List<Map<?, ?>> runs = Faults.runs(second);
                assertThat(runs).hasSize(EVENTS);
                assertThat(sink.orders()).hasSize(EVENTS);
                answered.forEach((order, run) ->
                        assertThat(sink.keys(order)).as(order).isNotEmpty().containsOnly(run + ":push"));
            }
        }
    }
}
