package dev.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./junction bench [W1 W2 W3 W4 | all | start | store] [--jfr] [--jar PATH]}: starts Junction, a sink
 * and the load generator, runs the workloads and prints a table. Refuses to print figures when any
 * acknowledged message was lost or any request failed. {@code start} only starts and stops the
 * node {@code BENCH_STARTS} (3) times and prints each start-to-ready time and their median; {@code
 * store} measures a run's writes against the store in process ({@link StoreWrites}).
 * Settings: {@code BENCH_SECONDS} (20) per measured run, {@code BENCH_WARMUP} (30: on two cores
 * the JIT compiler keeps a core busy for the first 20 s or so of load), {@code BENCH_W4_EVENTS}
 * (100000); {@code JUNCTION_DB_URL} (and user/password) runs the node on
 * PostgreSQL.
 */
public final class Bench {
    /**
     * The node's heap limit ({@code BENCH_HEAP}, 256m). G1 grows the heap towards its limit under
     * this allocation rate although the live set stays far below it, and the heap is most of the
     * resident memory.
     */
    private static final String HEAP = "-Xmx" + System.getenv().getOrDefault("BENCH_HEAP", "256m");

    private final Duration measure = Duration.ofSeconds(intEnv("BENCH_SECONDS", 20));
    private final Duration warmup = Duration.ofSeconds(intEnv("BENCH_WARMUP", 30));
    private final int w4Events = intEnv("BENCH_W4_EVENTS", 100_000);
    private final AtomicLong orders = new AtomicLong();
    private final List<Result> results = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Where the Flight Recording of the measured runs goes (--jfr), or null. */
    private Path recordTo;

    public static void main(String[] args) throws Exception {
        Set<String> workloads = new LinkedHashSet<>();
        boolean jfr = false;
        boolean startOnly = false;
        boolean storeOnly = false;
        Path jar = Path.of("server/target/junction-server.jar");
        boolean jarGiven = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i].toUpperCase(Locale.ROOT)) {
                case "--JFR" -> jfr = true;
                case "--JAR" -> {
                    jar = Path.of(args[++i]);
                    jarGiven = true;
                }
                case "START" -> startOnly = true;
                case "STORE" -> storeOnly = true;
                case "ALL" -> workloads.addAll(List.of("W1", "W2", "W3", "W4"));
                case "W1", "W2", "W3", "W4" -> workloads.add(args[i].toUpperCase(Locale.ROOT));
                default -> {
                    System.err.println("bench: unknown argument '" + args[i]
                            + "'; expected W1, W2, W3, W4, all, start, store, --jfr, --jar PATH");
                    System.exit(2);
                }
            }
        }
        if (storeOnly) {
            System.exit(StoreWrites.run(intEnv("BENCH_STORE_ROUNDS", 5), intEnv("BENCH_STORE_RUNS", 5_000)));
        }
        if (!Files.exists(jar)) {
            System.err.println("bench: " + jar + " does not exist; run ./junction build first");
            System.exit(2);
        }
        String cache = System.getProperty("junction.bench.startupCache");
        Launch launch = jarGiven || cache == null
                ? Launch.jar(jar)
                : Launch.startupCache(Path.of(cache)).orElse(Launch.jar(jar));
        if (startOnly) {
            System.exit(startToReady(launch, intEnv("BENCH_STARTS", 3)));
        }
        if (workloads.isEmpty()) {
            workloads.addAll(List.of("W1", "W2", "W3", "W4"));
        }
        System.exit(new Bench().run(workloads, launch, jfr));
    }

    private int run(Set<String> workloads, Launch launch, boolean jfr) throws Exception {
        Path work = Files.createTempDirectory("junction-bench-run");
        Path recording = work.resolve("node.jfr");
        List<String> jvm = new ArrayList<>(List.of(HEAP));
        this.recordTo = jfr ? recording : null;
        String database = System.getenv("JUNCTION_DB_URL") == null
                ? "SQLite in a fresh data directory, durability "
                        + System.getenv().getOrDefault("JUNCTION_DURABILITY", "balanced")
                : "PostgreSQL " + System.getenv("JUNCTION_DB_URL").replaceAll("\\?.*", "");
        System.out.printf("Junction benchmark, %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.printf(
                "machine: %d cores, %s %s, Java %s; database: %s; node %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                database,
                HEAP);
        System.out.printf("node started %s%n", launch.description());
        System.out.printf(
                "each measured run %d s after %d s of warm-up; node log: %s%n%n",
                measure.toSeconds(), warmup.toSeconds(), work.resolve("node.log"));
        long rss;
        long dbBytes;
        Duration ready;
        try (Sink sink = new Sink()) {
            try (Node node = Node.start(launch, jvm, work.resolve("node.log"))) {
                ready = node.startToReady();
                if (recordTo != null) {
                    // warm-ups are recorded too, start-up is not: it would drown the steady state
                    node.jcmd("JFR.start", "name=bench", "settings=profile");
                }
                for (String w : workloads) {
                    switch (w) {
                        case "W1" -> w1(node, sink);
                        case "W2" -> w2(node, sink);
                        case "W3" -> w3(node, sink);
                        case "W4" -> w4(node, sink);
                        default -> throw new IllegalArgumentException(w);
                    }
                }
                if (recordTo != null) {
                    node.jcmd("JFR.dump", "name=bench", "filename=" + recordTo);
                }
                rss = node.peakRssBytes();
                dbBytes = node.databaseBytes();
            }
            if (workloads.contains("W3")) {
                EngineOverhead.Figures f = EngineOverhead.measure(sink.url(), 3000, 5000);
                notes.add(
                        "W3 engine overhead, in-process on in-memory stores, I/O excluded: median %.1f µs per step (p90 %.1f), %d step attempts per run, %d runs"
                                .formatted(
                                        f.medianMicrosPerStep(), f.p90MicrosPerStep(), f.attemptsPerRun(), f.runs()));
            }
        }
        long lost = results.stream().mapToLong(Result::lost).sum();
        long errors = results.stream().mapToLong(Result::errors).sum();
        if (lost > 0 || errors > 0) {
            System.out.printf(
                    "REFUSED: %d acknowledged message(s) never reached the sink and %d request(s) failed;"
                            + " no figures are reported.%n",
                    lost, errors);
            results.forEach(r -> System.out.printf(
                    "  %s c=%d: %d lost, %d errors%n", r.workload(), r.concurrency(), r.lost(), r.errors()));
            return 1;
        }
        System.out.println(
                "| workload | c | requests | ok/s | p50 ms | p90 ms | p99 ms | errors | lost | node CPU µs/req | harness CPU µs/req | note |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        results.forEach(r -> System.out.println(r.row()));
        System.out.println();
        System.out.printf(
                "start to ready: %.2f s; peak RSS: %d MB; database files: %d MB%n",
                ready.toMillis() / 1000.0, rss >> 20, dbBytes >> 20);
        notes.forEach(System.out::println);
        if (jfr) {
            System.out.println();
            System.out.println(Profile.summary(recording, 15));
        }
        return 0;
    }

    /** Starts and stops the node {@code times} times, each on a fresh data directory. */
    private static int startToReady(Launch launch, int times) throws Exception {
        Path work = Files.createTempDirectory("junction-bench-start");
        System.out.printf(
                "Junction start to ready, %s, %d cores, Java %s; node logs in %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                work);
        System.out.printf("node started %s%n", launch.description());
        List<Duration> measured = new ArrayList<>();
        for (int i = 1; i <= times; i++) {
            try (Node node = Node.start(launch, List.of(HEAP), work.resolve("node-" + i + ".log"))) {
                measured.add(node.startToReady());
                System.out.printf("start %d: %.2f s%n", i, node.startToReady().toMillis() / 1000.0);
            }
        }
        List<Duration> sorted = measured.stream().sorted().toList();
        System.out.printf(
                "start to ready: median %.2f s of %d (min %.2f s, max %.2f s)%n",
                sorted.get(sorted.size() / 2).toMillis() / 1000.0,
                sorted.size(),
                sorted.getFirst().toMillis() / 1000.0,
                sorted.getLast().toMillis() / 1000.0);
        return 0;
    }

    private Load load(Node node, String path, int status) {
        return new Load(node.port(), path, status, orders);
    }

    /** Acknowledged orders that the sink has not received (after waiting up to {@code max} for them). */
    private static long lost(Sink sink, Load.Outcome o, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long missing;
        do {
            missing = o.acknowledged().stream().filter(id -> !sink.received(id)).count();
            if (missing == 0) {
                return 0;
            }
            sink.awaitDistinct(sink.distinct() + 1, Duration.ofMillis(200));
        } while (System.nanoTime() < deadline);
        return missing;
    }

    private void w1(Node node, Sink sink) throws Exception {
        node.deploy(Workloads.w1(sink.url()));
        Load load = load(node, "/hooks/default/bench-w1", 200);
        load.run(16, warmup, Long.MAX_VALUE);
        for (int c : new int[] {1, 16, 64}) {
            long[] cpu = Result.Cpu.start(node);
            Load.Outcome o = load.run(c, measure, Long.MAX_VALUE);
            results.add(Result.of(
                    "W1",
                    c,
                    o,
                    lost(sink, o, Duration.ZERO),
                    Result.Cpu.stop(node, cpu),
                    "sync: webhook → map → http → respond"));
        }
    }

    private void w2(Node node, Sink sink) throws Exception {
        node.deploy(Workloads.w2(sink.url()));
        Load load = load(node, "/hooks/default/bench-w2", 202);
        Load.Outcome warm = load.run(64, warmup, Long.MAX_VALUE);
        lost(sink, warm, Duration.ofMinutes(2));
        long t0 = System.nanoTime();
        long[] cpu = Result.Cpu.start(node);
        Load.Outcome o = load.run(64, measure, Long.MAX_VALUE);
        long loadEnd = System.nanoTime();
        long missing = lost(sink, o, Duration.ofMinutes(5));
        Result.Cpu used = Result.Cpu.stop(node, cpu);
        double drain = Math.max(0, sink.lastArrivalNanos() - loadEnd) / 1e9;
        double delivered = o.ok() / ((Math.max(sink.lastArrivalNanos(), loadEnd) - t0) / 1e9);
        results.add(Result.of(
                "W2",
                64,
                o,
                missing,
                used,
                "accepted/s; all delivered %.1f s after the load ended (%,.0f delivered/s)"
                        .formatted(drain, delivered)));
    }

    private void w3(Node node, Sink sink) throws Exception {
        node.deploy(Workloads.w3(sink.url()));
        Load load = load(node, "/hooks/default/bench-w3", 200);
        load.run(16, warmup, Long.MAX_VALUE);
        long[] cpu = Result.Cpu.start(node);
        Load.Outcome o = load.run(16, measure, Long.MAX_VALUE);
        results.add(Result.of(
                "W3",
                16,
                o,
                lost(sink, o, Duration.ZERO),
                Result.Cpu.stop(node, cpu),
                "10 steps, 14 attempts per run"));
    }

    private void w4(Node node, Sink sink) throws Exception {
        node.deploy(Workloads.w4(sink.url()));
        Load load = load(node, "/hooks/default/bench-w4", 202);
        long t0 = System.nanoTime();
        long[] cpu = Result.Cpu.start(node);
        Load.Outcome o = load.run(64, Duration.ofMinutes(10), w4Events);
        long missing = lost(sink, o, Duration.ofMinutes(10));
        Result.Cpu used = Result.Cpu.stop(node, cpu);
        double total = (Math.max(sink.lastArrivalNanos(), t0) - t0) / 1e9;
        results.add(Result.of(
                "W4",
                64,
                o,
                missing,
                used,
                "%,d events behind a concurrency limit of 64: all drained in %.1f s = %,.0f runs/s"
                        .formatted(o.ok(), total, o.ok() / total)));
    }

    private static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
    }
}
