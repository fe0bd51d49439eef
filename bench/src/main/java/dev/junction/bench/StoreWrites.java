package dev.junction.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.junction.engine.json.Json;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.StepAttempt;
import dev.junction.store.Database;
import dev.junction.store.JdbcWorkQueue;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./junction bench store}: the writes of a W2 run, without HTTP or the engine, against the
 * store in this process: admit the run leased to this node (power-safe), checkpoint the first
 * step's attempt, then write the last step's attempt with the finished run (one write, as the
 * engine does); 32 virtual threads at once, as many runs in flight as W2 has. SQLite
 * in a fresh directory, or PostgreSQL when {@code JUNCTION_DB_URL} is set. Prints runs per second
 * and this process's CPU per run for each round; the first rounds are the JIT's warm-up.
 */
final class StoreWrites {
    private static final int THREADS = 32;
    private static final String NODE = "bench";

    private StoreWrites() {}

    static int run(int rounds, int runsPerRound) throws Exception {
        Path dir = Files.createTempDirectory("junction-bench-store");
        String url = System.getenv("JUNCTION_DB_URL");
        try (Database db = url == null
                ? Database.sqlite(dir)
                : Database.postgres(url, System.getenv("JUNCTION_DB_USER"), System.getenv("JUNCTION_DB_PASSWORD"))) {
            JdbcWorkQueue queue = new JdbcWorkQueue(db);
            var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.out.printf(
                    "store writes of a W2 run (admit, a checkpoint, the last checkpoint with the finish), %d threads, %s%n",
                    THREADS, url == null ? "SQLite in " + dir : "PostgreSQL " + url.replaceAll("\\?.*", ""));
            Object order = Json.read(Orders.json("bench-order"));
            for (int round = 1; round <= rounds; round++) {
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                writeRuns(queue, "round" + round + "-" + start, runsPerRound, order);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                long cpuMicros = (os.getProcessCpuTime() - cpu) / 1000;
                System.out.printf(
                        "round %d: %,d runs in %.2f s = %,.0f runs/s, %,d µs CPU per run%n",
                        round,
                        runsPerRound,
                        took.toNanos() / 1e9,
                        runsPerRound / (took.toNanos() / 1e9),
                        cpuMicros / runsPerRound);
            }
        }
        return 0;
    }

    private static void writeRuns(JdbcWorkQueue queue, String prefix, int runs, Object order) throws Exception {
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                writers.add(threads.submit(() -> {
                    for (int i = first; i < runs; i += THREADS) {
                        writeRun(queue, prefix + "-" + i, order);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(); // a failed write fails the benchmark
            }
        }
    }

    private static void writeRun(JdbcWorkQueue queue, String id, Object order) {
        Instant now = Instant.now();
        Run run = Run.queued("default", id, "bench-w2", 1, "webhook", order, id, now, null);
        WorkQueue.Admission admission =
                queue.admit(new WorkQueue.Admit(run, 0, List.of(), null, NODE, now.plusSeconds(30)));
        StepAttempt map = attempt(id, 0, order, now);
        if (!queue.checkpoint(map, NODE)) {
            throw new IllegalStateException("run " + id + " lost its lease");
        }
        // the last step's attempt is written with the finished run, as the engine does
        StepAttempt http = attempt(id, 1, order, now);
        if (!queue.finish(http, admission.run().succeeded(order, Instant.now()), NODE)) {
            throw new IllegalStateException("run " + id + " could not be finished");
        }
    }

    private static StepAttempt attempt(String id, int seq, Object order, Instant started) {
        return new StepAttempt(
                "default",
                id,
                seq,
                "s" + seq,
                "s" + seq,
                "map",
                1,
                AttemptStatus.SUCCEEDED,
                order,
                order,
                null,
                started,
                Instant.now(),
                null);
    }
}
