package dev.junction.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database becomes unreachable for a while (a proxy in front of PostgreSQL drops every
 * connection and refuses new ones). Ingress answers 503 with {@code Retry-After}, never 500 and
 * never 202; when the database is back, every acknowledged run completes and new events are taken.
 */
class DatabaseOutageIT {
    @Test
    void ingressAnswers503WhileTheDatabaseIsDownAndWorkContinuesAfterwards(@TempDir Path tmp) throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("outage");
                TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
                CountingSink sink = new CountingSink(Duration.ofMillis(50))) {
            Map<String, String> env =
                    Map.of("JUNCTION_DB_URL", db.urlVia(proxy.port()), "JUNCTION_DB_USER", ScratchPostgres.USER);
            try (JunctionProcess node = JunctionProcess.start("outage", tmp.resolve("data"), env)) {
                Faults.deploy(node, Faults.orderFlow(sink.url()));
                Map<String, String> acknowledged = new ConcurrentHashMap<>();
                Faults.burst(
                        200,
                        16,
                        n -> node,
                        (n, a) -> {
                            assertThat(a.status()).as(a.body()).isEqualTo(202);
                            acknowledged.put(Faults.orderId(n), a.runId());
                        },
                        null,
                        null);

                proxy.cut();
                Map<Integer, Faults.Answer> refused = new ConcurrentHashMap<>();
                Faults.burst(200, 216, 16, n -> node, refused::put, null, null);
                assertThat(refused).hasSize(16);
                refused.values().forEach(a -> {
                    assertThat(a.status()).as(a.body()).isEqualTo(503);
                    assertThat(a.retryAfter()).isNotBlank();
                    assertThat(a.body()).contains("\"code\":\"UNAVAILABLE\"").doesNotContain("Exception");
                });

                proxy.restore();
                Faults.burst(
                        0,
                        300,
                        16,
                        true,
                        n -> node,
                        (n, a) -> {
                            assertThat(a.status()).as(a.body()).isEqualTo(202);
                            if (acknowledged.containsKey(Faults.orderId(n))) {
                                assertThat(a.runId()).isEqualTo(acknowledged.get(Faults.orderId(n)));
                            }
                        },
                        null,
                        null);
                await("every run finished after the outage")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> Faults.succeeded(Faults.runs(node)) == 300);
                assertThat(sink.orders()).hasSize(300);
            }
        }
    }
}
