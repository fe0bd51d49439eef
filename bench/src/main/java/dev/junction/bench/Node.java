package dev.junction.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Junction as users run it: the packaged jar in a child process, on SQLite in a fresh data
 * directory (or PostgreSQL when {@code JUNCTION_DB_URL} is set). Measures the time from process
 * start to readiness and samples the process's resident memory while it runs.
 */
final class Node implements AutoCloseable {
    static final String KEY = "jct_bench_key_0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final Duration startToReady;
    private final AtomicLong peakRss = new AtomicLong();
    private final Thread sampler;

    private Node(Process process, int port, Path dataDir, Duration startToReady) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.startToReady = startToReady;
        this.sampler = Thread.ofPlatform().daemon().name("bench-rss").start(this::sample);
    }

    static Node start(Launch launch, List<String> jvmOptions, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("junction-bench");
        List<String> command = launch.command(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment()
                .putAll(Map.of(
                        "JUNCTION_PORT",
                        String.valueOf(port),
                        "JUNCTION_BIND_ADDRESS",
                        "127.0.0.1",
                        "JUNCTION_DATA_DIR",
                        dataDir.toString(),
                        "JUNCTION_ADMIN_API_KEY",
                        KEY,
                        "JUNCTION_NODE_ID",
                        "bench",
                        "JUNCTION_OUTBOUND_ALLOW",
                        System.getenv().getOrDefault("JUNCTION_OUTBOUND_ALLOW", "127.0.0.1/32")));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process process = pb.start();
        URI ready = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Junction exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                process.destroyForcibly();
                throw new IllegalStateException("Junction was not ready within 120 s; see " + log);
            }
            Thread.sleep(10); // polling a child process for readiness: there is nothing to wait on
        }
        return new Node(process, port, dataDir, Duration.ofNanos(System.nanoTime() - t0));
    }

    int port() {
        return port;
    }

    Duration startToReady() {
        return startToReady;
    }

    /** CPU time the node's process has used so far (user + system), or zero when unknown. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    long peakRssBytes() {
        return peakRss.get();
    }

    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // not on Linux, or the process ended
        }
        return 0;
    }

    /** The size of the SQLite files in the data directory (0 on PostgreSQL). */
    long databaseBytes() {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("junction.db"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private void sample() {
        while (process.isAlive()) {
            peakRss.accumulateAndGet(rssBytes(), Math::max);
            try {
                Thread.sleep(200); // a sampling period, not a wait for anything
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Creates (or replaces) a flow from YAML. */
    void deploy(String yaml) throws IOException, InterruptedException {
        String id = yaml.lines()
                .filter(l -> l.startsWith("id:"))
                .findFirst()
                .orElseThrow()
                .substring(3)
                .strip();
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/flows"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml));
        HttpResponse<String> r = HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("deploying " + id + " failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** Runs {@code jcmd <pid> <command...>} against the node (Flight Recorder control). */
    void jcmd(String... command) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(String.valueOf(process.pid()));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
    }

    /** Stops the node (SIGTERM, then waits). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        sampler.interrupt();
    }
}
