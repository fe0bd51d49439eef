package dev.junction.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL database share a burst of webhook events; one is killed with
 * {@code kill -9} mid-burst. The survivor takes over the dead node's runs when their leases
 * expire and finishes everything; no step is checkpointed twice, no event has two runs.
 */
class ClusterIT {
    private static final int EVENTS = 1000;

    @Test
    void theSurvivorFinishesEverythingAndNoCompletedCheckpointRunsTwice(@TempDir Path tmp) throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("cluster");
                CountingSink sink = new CountingSink(Duration.ofMillis(20))) {
            Map<String, String> env = Map.of(
                    "JUNCTION_DB_URL", db.url(), "JUNCTION_DB_USER", ScratchPostgres.USER, "JUNCTION_LEASE", "3s");
            JunctionProcess a = JunctionProcess.start("cluster-a", tmp.resolve("a"), env);
            try (JunctionProcess b = JunctionProcess.start("cluster-b", tmp.resolve("b"), env)) {
                Faults.deploy(a, Faults.orderFlow(sink.url()));
                Map<String, String> acknowledged = new ConcurrentHashMap<>();
                Map<String, String> byNode = new ConcurrentHashMap<>();
                try (a) {
                    Faults.burst(
                            EVENTS,
                            16,
                            n -> n % 2 == 0 ? a : b,
                            (n, answer) -> {
                                if (answer.status() == 202) {
                                    acknowledged.put(Faults.orderId(n), answer.runId());
                                    byNode.put(Faults.orderId(n), n % 2 == 0 ? "a" : "b");
                                }
                            },
                            () -> acknowledged.size() >= 300,
                            a::kill9);
                }
                assertThat(byNode).containsValue("a");
                // Whatever node a did not acknowledge, the client now sends to b.
                Map<String, String> answered = new ConcurrentHashMap<>();
                Faults.burst(
                        EVENTS,
                        16,
                        n -> b,
                        (n, answer) -> {
                            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
                            answered.put(Faults.orderId(n), answer.runId());
                        },
                        null,
                        null);
                acknowledged.forEach(
                        (order, run) -> assertThat(answered.get(order)).isEqualTo(run));

                await("the survivor finished every run")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> Faults.succeeded(Faults.runs(b)) == EVENTS);
                assertThat(Faults.runs(b)).hasSize(EVENTS);
                assertThat(sink.orders()).hasSize(EVENTS);
                answered.forEach(
                        (order, run) -> assertThat(sink.keys(order)).as(order).containsOnly(run + ":push"));
                assertThat(checkpointedTwice(db))
                        .as("steps with two successful checkpoints")
                        .isEmpty();
            }
        }
    }

    private static List<String> checkpointedTwice(ScratchPostgres db) throws Exception {
        List<String> twice = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT run_id, path FROM step_attempts WHERE status = 'SUCCEEDED'"
                        + " GROUP BY run_id, path HAVING COUNT(*) > 1")) {
            while (rs.next()) {
                twice.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        return twice;
    }
}
