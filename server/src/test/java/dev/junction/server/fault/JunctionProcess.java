package dev.junction.server.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Junction jar running as a child process, as a user starts it, with its output in
 * {@code target/fault-logs/<name>.log}. {@link #kill9()} ends it with SIGKILL: no shutdown
 * hook runs, nothing is flushed, exactly like a crash.
 */
final class JunctionProcess implements AutoCloseable {
    static final String KEY = "jct_fault_test_key_0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int port;
    private final String name;

    private JunctionProcess(Process process, int port, String name) {
        this.process = process;
        this.port = port;
        this.name = name;
    }

    /** Starts a node and returns once it reports ready. */
    static JunctionProcess start(String name, Path dataDir, Map<String, String> env) throws IOException {
        int port = freePort();
        Process process = launch(name, port, dataDir, env);
        Path log = log(name);
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> pump(process, log, started));
        JunctionProcess node = new JunctionProcess(process, port, name);
        try {
            started.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not start; see " + log + ": " + e.getMessage(), e);
        }
        node.awaitReady();
        return node;
    }

    /** A node that is expected to stop by itself: its exit code and everything it printed. */
    record Outcome(int exitCode, String output) {}

    static Outcome runToExit(String name, Path dataDir, Map<String, String> env) throws Exception {
        Process process = launch(name, freePort(), dataDir, env);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not stop by itself");
        }
        Files.writeString(log(name), output);
        return new Outcome(process.exitValue(), output);
    }

    private static Process launch(String name, int port, Path dataDir, Map<String, String> env) throws IOException {
        String jar = System.getProperty("junction.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException(
                    "junction.jar (" + jar + ") is missing: run the fault tests with ./mvnw verify");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                java.toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-Dspring.aot.enabled=true", // as ./junction start runs it: Spring's ahead-of-time bean definitions
                "-jar",
                jar);
        pb.environment().put("JUNCTION_PORT", String.valueOf(port));
        pb.environment().put("JUNCTION_BIND_ADDRESS", "127.0.0.1");
        pb.environment().put("JUNCTION_DATA_DIR", dataDir.toString());
        pb.environment().put("JUNCTION_ADMIN_API_KEY", KEY);
        pb.environment().put("JUNCTION_OUTBOUND_ALLOW", "127.0.0.1/32,localhost");
        pb.environment().put("JUNCTION_NODE_ID", name);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static Path log(String name) throws IOException {
        Path logs = Path.of(System.getProperty("junction.fault.logs", "target/fault-logs"));
        Files.createDirectories(logs);
        return logs.resolve(name + ".log");
    }

    private static void pump(Process process, Path log, CompletableFuture<Void> started) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.contains("Started JunctionApplication")) {
                    started.complete(null);
                }
            }
        } catch (IOException e) {
            started.completeExceptionally(e);
        }
        // the output ends when the process does, or a moment before it has exited
        String end = process.isAlive() ? "its output ended" : "it ended with " + process.exitValue();
        started.completeExceptionally(new IllegalStateException("Junction did not start: " + end));
    }

    private void awaitReady() {
        org.awaitility.Awaitility.await(name + " ready")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> HTTP.send(
                                        HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String name() {
        return name;
    }

    /** The process's resident set size now, from {@code /proc} (Linux). */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
