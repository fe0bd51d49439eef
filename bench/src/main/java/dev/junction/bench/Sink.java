package dev.junction.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The downstream system of every workload: accepts {@code POST}s on keep-alive connections,
 * answers {@code 200 {"ok":true}} at once, and remembers each distinct order it received (the
 * {@code externalId} field the flows send), so the harness can tell what was lost.
 */
final class Sink implements AutoCloseable {
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY = "\"externalId\":\"".getBytes(StandardCharsets.UTF_8);

    private final ServerSocket server;
    private final Set<String> orders = ConcurrentHashMap.newKeySet();
    private final LongAdder calls = new LongAdder();
    private final Object arrived = new Object();
    private volatile long lastArrivalNanos;

    Sink() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/orders";
    }

    long distinct() {
        return orders.size();
    }

    long calls() {
        return calls.sum();
    }

    boolean received(String orderId) {
        return orders.contains(orderId);
    }

    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Waits until {@code n} distinct orders have arrived or {@code max} has passed. */
    boolean awaitDistinct(long n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (arrived) {
            while (orders.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                arrived.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 4096)) {
            Http1.Message m;
            while ((m = Http1.read(in)) != null) {
                String order = externalId(m.body());
                calls.increment();
                if (order != null && orders.add(order)) {
                    lastArrivalNanos = System.nanoTime();
                    synchronized (arrived) {
                        arrived.notifyAll();
                    }
                }
                Http1.respond(out, 200, OK);
                if (m.close()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client closed the connection
        }
    }

    private static String externalId(byte[] body) {
        outer:
        for (int i = 0; i + KEY.length < body.length; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (body[i + k] != KEY[k]) {
                    continue outer;
                }
            }
            int from = i + KEY.length;
            int to = from;
            while (to < body.length && body[to] != '"') {
                to++;
            }
            return new String(body, from, to - from, StandardCharsets.UTF_8);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
