package dev.junction.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpCaller} on its pooled transport against a raw HTTP/1.1 server on loopback, whose
 * answers each test chooses byte by byte: keep-alive reuse, the step's timeout over the whole
 * exchange, answers over the limit, closing with an exchange in flight, refused headers.
 */
class HttpCallerTest {
    private static final AtomicInteger connections = new AtomicInteger();
    private static final CountDownLatch releaseHeld = new CountDownLatch(1);
    private static final CountDownLatch heldArrived = new CountDownLatch(1);
    private static final CountDownLatch silentArrived = new CountDownLatch(1);
    private static ServerSocket server;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        base = "http://127.0.0.1:" + server.getLocalPort();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        releaseHeld.countDown();
        server.close();
    }

    /** Serves requests on one connection until the client closes it. */
    private static void serve(Socket socket) {
        try (socket) {
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                String path = line.split(" ")[1];
                int length = 0;
                for (String h; !(h = in.readLine()).isEmpty(); ) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).strip());
                    }
                }
                in.skip(length);
                switch (path) {
                    case "/ok" -> answer(out, "{\"ok\":true}");
                    case "/stall" -> {
                        // the head and a little of a long body, then nothing until the client hangs up
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nxxxxxxxxxx"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        in.read();
                    }
                    case "/endless" -> {
                        out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = ("400\r\n" + "y".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                        while (true) {
                            out.write(chunk); // until the client closes the connection
                        }
                    }
                    case "/silent" -> {
                        silentArrived.countDown();
                        in.read(); // never answers; returns when the client closes the connection
                    }
                    case "/held" -> {
                        heldArrived.countDown();
                        releaseHeld.await();
                        answer(out, "{\"held\":true}");
                    }
                    default -> answer(out, "{}");
                }
            }
        } catch (IOException | InterruptedException | RuntimeException gone) {
            // the client went away
        }
    }

    private static void answer(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static OutboundHttp.Request get(String path, Duration timeout, Map<String, String> headers) {
        return new OutboundHttp.Request("GET", base + path, headers, Map.of(), null, timeout);
    }

    private static HttpCaller caller(HttpTransport transport, int maxBytes) {
        return new HttpCaller(transport, maxBytes, AddressPolicy.allowingAll());
    }

    @Test
    void keepsTheConnectionForTheNextExchange() throws Exception {
        try (var transport = HttpTransport.open()) {
            HttpCaller http = caller(transport, 1024);
            int before = connections.get();
            for (int i = 0; i < 5; i++) {
                var answer = http.send(get("/ok", Duration.ofSeconds(5), Map.of()));
                assertThat(answer.status()).isEqualTo(200);
                assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
                assertThat(answer.headers()).containsEntry("content-type", "application/json");
            }
            assertThat(connections.get() - before).isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theTimeoutIsADeadlineOnTheWholeExchangeBodyIncluded() {
        try (var transport = HttpTransport.open()) {
            long started = System.nanoTime();
            assertThatThrownBy(
                            () -> caller(transport, 1024 * 1024).send(get("/stall", Duration.ofMillis(400), Map.of())))
                    .isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("TIMEOUT"))
                    .hasMessageContaining("did not answer within PT0.4S");
            // the per-read backstop would take a minute: only the deadline ends it this soon
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAnswerOverTheLimitIsRefusedWithoutReadingItToTheEnd() throws Exception {
        try (var transport = HttpTransport.open()) {
            HttpCaller http = caller(transport, 64 * 1024);
            assertThatThrownBy(() -> http.send(get("/endless", Duration.ofSeconds(10), Map.of())))
                    .isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("RESPONSE_TOO_LARGE"));
            // the endless connection was dropped, not handed back: the next exchange gets a fresh one
            assertThat(http.send(get("/ok", Duration.ofSeconds(5), Map.of())).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void closingLetsTheExchangeInFlightFinishAndRefusesNewOnes() throws Exception {
        var transport = HttpTransport.open();
        HttpCaller http = caller(transport, 1024);
        CompletableFuture<OutboundHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return http.send(get("/held", Duration.ofSeconds(10), Map.of()));
            } catch (ConnectorException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(heldArrived.await(10, TimeUnit.SECONDS)).isTrue();
        transport.close();
        releaseHeld.countDown();

        assertThat(new String(inFlight.get(10, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"held\":true}");
        assertThatThrownBy(() -> http.send(get("/ok", Duration.ofSeconds(5), Map.of())))
                .isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("CONNECTION"));
    }

    @Test
    void aCancelledRunsCallEndsAsCancelled() throws Exception {
        try (var transport = HttpTransport.open()) {
            CompletableFuture<ConnectorException> failure = new CompletableFuture<>();
            Thread call = Thread.ofVirtual().start(() -> {
                try {
                    caller(transport, 1024).send(get("/silent", Duration.ofSeconds(30), Map.of()));
                    failure.complete(null);
                } catch (ConnectorException e) {
                    failure.complete(e);
                }
            });
            assertThat(silentArrived.await(10, TimeUnit.SECONDS)).isTrue();
            call.interrupt(); // what cancelling a run does to its thread

            ConnectorException e = failure.get(10, TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo("CANCELLED");
        }
    }

    @Test
    void headersTheTransportSetsItselfOrThatBreakTheHeadAreRefused() {
        try (var transport = HttpTransport.open()) {
            HttpCaller http = caller(transport, 1024);
            for (var header : Map.of(
                            "Host", "elsewhere", "Content-Length", "5", "X-Ok", "a\r\nX-Injected: 1", "Bad Name", "v")
                    .entrySet()) {
                assertThatThrownBy(() -> http.send(
                                get("/ok", Duration.ofSeconds(5), Map.of(header.getKey(), header.getValue()))))
                        .isInstanceOf(ConnectorException.class)
                        .satisfies(
                                e -> assertThat(((ConnectorException) e).code()).isEqualTo("STEP_FAILED"))
                        .hasMessageContaining("header '" + header.getKey() + "' is not allowed");
            }
        }
    }

    @Test
    void aRefusedConnectionIsAConnectionError() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (var transport = HttpTransport.open()) {
            assertThatThrownBy(() -> caller(transport, 1024)
                            .send(new OutboundHttp.Request(
                                    "GET",
                                    "http://127.0.0.1:" + closedPort + "/",
                                    Map.of(),
                                    Map.of(),
                                    null,
                                    Duration.ofSeconds(5))))
                    .isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("CONNECTION"))
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + closedPort + ": Connection refused")
                    .hasMessageNotContaining("Connect to");
        }
    }
}
