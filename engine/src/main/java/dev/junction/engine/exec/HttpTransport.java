package dev.junction.engine.exec;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The connection pool behind {@link HttpCaller}: a blocking HTTP/1.1 client (Apache HttpClient 5,
 * classic) with pooled keep-alive connections. Each call runs entirely on the calling (virtual)
 * thread, with no hand-off to a selector thread and back; in the benchmark it costs about half the
 * CPU of the JDK's {@code HttpClient} per exchange. It follows no redirects (the caller does, hop by
 * hop), neither decompresses nor keeps cookies, and retries only an idempotent request whose pooled
 * connection turned out to be closed by the server, never on an answer (the step's retry policy
 * decides about 429 and 503). Thread-safe; closing it lets the exchanges in flight finish, then
 * closes its connections.
 */
public final class HttpTransport implements AutoCloseable {
    /** As many connections as the runs need: the JDK client had no limit either. */
    private static final int MAX_CONNECTIONS = 4096;

    /**
     * Once, at once, for an idempotent request that failed with an I/O error other than a refused
     * connection, a timeout, an unknown host or TLS (the library's list): what a server closing an
     * idle keep-alive connection looks like. Never because of an answer.
     */
    private static final HttpRequestRetryStrategy STALE_CONNECTION_ONLY =
            new DefaultHttpRequestRetryStrategy(1, TimeValue.ZERO_MILLISECONDS) {
                @Override
                public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
                    return false;
                }
            };

    /** Aborts exchanges that outlive their timeout; one daemon thread for all transports. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    final CloseableHttpClient client;
    /** The client has a TLS context of its own (mutual TLS). */
    final boolean ownTls;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closing;

    private HttpTransport(CloseableHttpClient client, boolean ownTls) {
        this.client = client;
        this.ownTls = ownTls;
    }

    /** With the JDK's default TLS context and trust store. */
    public static HttpTransport open() {
        return open(null);
    }

    /** With a connection's own TLS context (mutual TLS); null: the JDK's default. */
    public static HttpTransport open(SSLContext tls) {
        SSLContext context;
        try {
            context = tls == null ? SSLContext.getDefault() : tls;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(context))
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(10))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .build();
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setRetryStrategy(STALE_CONNECTION_ONLY)
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent("Junction")
                .build();
        return new HttpTransport(client, tls != null);
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        var timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("junction-http-deadlines").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * Aborts {@code exchange} (closing its connection, so that a blocked read or write fails) once
     * {@code timeout} has passed; cancel the deadline when the exchange is over.
     */
    Deadline abortAfter(HttpUriRequestBase exchange, Duration timeout) {
        Deadline deadline = new Deadline(exchange);
        deadline.timer = DEADLINES.schedule(deadline, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return deadline;
    }

    /** The timer of one exchange. */
    static final class Deadline implements Runnable {
        private final HttpUriRequestBase exchange;
        private volatile boolean passed;
        private ScheduledFuture<?> timer;

        private Deadline(HttpUriRequestBase exchange) {
            this.exchange = exchange;
        }

        @Override
        public void run() {
            passed = true; // before the abort, so that the failure it causes reads as a timeout
            exchange.cancel();
        }

        /** The deadline passed and aborted the exchange. */
        boolean passed() {
            return passed;
        }

        void cancel() {
            timer.cancel(false);
        }
    }

    /** An exchange starts: {@link #close} waits for it. */
    void begin() {
        inFlight.incrementAndGet();
    }

    /** An exchange ended, its answer read or dropped. */
    void end() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            closeNow();
        }
    }

    /** Exchanges in flight finish first; none may start after this. */
    @Override
    public void close() {
        closing = true;
        if (inFlight.get() == 0) {
            closeNow();
        }
    }

    private void closeNow() {
        if (closed.compareAndSet(false, true)) {
            client.close(CloseMode.GRACEFUL);
        }
    }
}
