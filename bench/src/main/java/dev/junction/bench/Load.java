package dev.junction.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load generator: {@code connections} clients, each on its own keep-alive socket and
 * virtual thread, send the next request as soon as the previous answer has arrived, until the time
 * is up or {@code maxRequests} have been sent. Every request is for a new order ({@code orderId}
 * from one counter), so each acknowledged order can be checked at the sink.
 */
final class Load {
    /** What one run of the generator saw. */
    record Outcome(long requests, long ok, long errors, Duration elapsed, Histogram latency, Set<String> acknowledged) {
        double perSecond() {
            return ok / (elapsed.toNanos() / 1e9);
        }
    }

    private final int port;
    private final String path;
    private final int expectStatus;
    private final AtomicLong orders;

    Load(int port, String path, int expectStatus, AtomicLong orders) {
        this.port = port;
        this.path = path;
        this.expectStatus = expectStatus;
        this.orders = orders;
    }

    Outcome run(int connections, Duration length, long maxRequests) throws InterruptedException {
        Histogram latency = new Histogram();
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicLong budget = new AtomicLong(maxRequests);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + length.toNanos();
        for (int i = 0; i < connections; i++) {
            clients.add(Thread.ofVirtual().start(() -> client(deadline, budget, latency, ok, errors, acknowledged)));
        }
        for (Thread t : clients) {
            t.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Outcome(ok.sum() + errors.sum(), ok.sum(), errors.sum(), elapsed, latency, acknowledged);
    }

    private void client(
            long deadline, AtomicLong budget, Histogram latency, LongAdder ok, LongAdder errors, Set<String> acked) {
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
            String order = "B-" + orders.incrementAndGet();
            byte[] request = request(order);
            try {
                if (socket == null) {
                    socket = new Socket(InetAddress.getLoopbackAddress(), port);
                    socket.setTcpNoDelay(true);
                    in = new BufferedInputStream(socket.getInputStream(), 8192);
                    out = new BufferedOutputStream(socket.getOutputStream(), 4096);
                }
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                Http1.Message answer = Http1.read(in);
                long micros = (System.nanoTime() - t0) / 1000;
                if (answer == null) {
                    throw new IOException("the server closed the connection");
                }
                latency.record(micros);
                if (answer.status() == expectStatus) {
                    ok.increment();
                    acked.add(order);
                } else {
                    errors.increment();
                }
                if (answer.close()) {
                    socket.close();
                    socket = null;
                }
            } catch (IOException e) {
                errors.increment();
                closeQuietly(socket);
                socket = null;
            }
        }
        closeQuietly(socket);
    }

    private byte[] request(String order) {
        byte[] body = Orders.json(order).getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
