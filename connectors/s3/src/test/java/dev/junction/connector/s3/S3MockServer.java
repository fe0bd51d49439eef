package dev.junction.connector.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Adobe S3Mock's executable jar as a child process on random ports, its HTTPS connector bound to
 * 127.0.0.1. Ready once it logs that it started (read from its output: no polling, no sleeping).
 * S3Mock 5.2.0's extra plain-HTTP connector (the one used here) ignores {@code server.address} and
 * listens on every interface for the few seconds a test class runs; its port is random.
 */
final class S3MockServer implements AutoCloseable {
    private final Process process;
    private final int httpPort;
    private final Deque<String> lastLines = new ArrayDeque<>();

    S3MockServer(Path storeRoot) throws Exception {
        String jar = System.getProperty("s3mock.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property s3mock.jar must name S3Mock's exec jar (the s3 module's"
                    + " surefire configuration sets it from com.adobe.testing:s3mock:jar:exec), not " + jar);
        }
        httpPort = freePort();
        int httpsPort = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(List.of(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xmx256m",
                        "-jar",
                        jar,
                        "--http.port=" + httpPort,
                        "--server.port=" + httpsPort,
                        "--server.address=127.0.0.1",
                        "--com.adobe.testing.s3mock.store.root=" + storeRoot,
                        "--logging.level.root=WARN",
                        "--logging.level.com.adobe.testing.s3mock=INFO"))
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("s3mock-output").start(() -> drain(started));
        try {
            if (!started.get(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("S3Mock exited before it started; its last output:\n" + output());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            close();
            throw new IllegalStateException("S3Mock did not start within 90 s; its last output:\n" + output(), e);
        }
    }

    private void drain(CompletableFuture<Boolean> started) {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 40) {
                        lastLines.removeFirst();
                    }
                }
                if (line.contains("Started S3MockApplication")) {
                    started.complete(true);
                }
            }
        } catch (IOException e) {
            // the process ended: nothing more to read
        }
        started.complete(false);
    }

    private String output() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
