package dev.junction.engine.stream;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.port.Connections;
import dev.junction.engine.port.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one stream-triggered flow's source on this node, on a virtual thread of its own. It
 * fetches only as many messages as it has room for ({@code maxInFlight} unfinished runs), starts a
 * run per message, and acknowledges the message once the run is stored (a poison message is kept
 * as a failed run, then rejected). When the source or the store fails it closes the source, so
 * that what was not acknowledged is delivered again, waits (1 s doubling to 30 s) and reopens.
 */
final class StreamConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);
    private static final Duration FETCH_WAIT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A run that neither finishes nor fails here within this time (parked, taken over) frees its place. */
    private static final Duration HOLD = Duration.ofMinutes(5);

    private static final int MAX_BATCH = 100;

    private final String workspaceId;
    private final String flowId;
    private final int version;
    private final Trigger.Stream trigger;
    private final FlowEngine engine;
    private final Connections connections;
    private final Sleeper sleeper;
    private final Clock clock;
    private final String node;
    private final Semaphore room;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean stopped;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile boolean consuming;
    private final Thread thread;

    StreamConsumer(
            String workspaceId,
            String flowId,
            int version,
            Trigger.Stream trigger,
            FlowEngine engine,
            Connections connections,
            Sleeper sleeper,
            Clock clock,
            String node) {
        this.workspaceId = workspaceId;
        this.flowId = flowId;
        this.version = version;
        this.trigger = trigger;
        this.engine = engine;
        this.connections = connections;
        this.sleeper = sleeper;
        this.clock = clock;
        this.node = node;
        this.room = new Semaphore(trigger.maxInFlight());
        this.thread = Thread.ofVirtual()
                .name("junction-stream-" + workspaceId + "-" + flowId)
                .unstarted(this::loop);
    }

    int version() {
        return version;
    }

    Trigger.Stream trigger() {
        return trigger;
    }

    void start() {
        thread.start();
    }

    /** Stops taking messages and closes the source; runs already started go on. */
    void stop() {
        stopped = true;
        thread.interrupt();
    }

    /** {@code {status, lastError, received, rejected, inFlight}} on this node. */
    Map<String, Object> status() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("status", consuming ? "consuming" : lastError != null ? "failing" : "starting");
        m.put("node", node);
        m.put("received", received.get());
        m.put("rejected", rejected.get());
        m.put("inFlight", trigger.maxInFlight() - room.availablePermits());
        m.put("maxInFlight", trigger.maxInFlight());
        if (lastError != null) {
            m.put("lastError", lastError);
            m.put("lastErrorAt", String.valueOf(lastErrorAt));
        }
        return m;
    }

    private void loop() {
        Duration backoff = Duration.ofSeconds(1);
        StreamSource source = null;
        while (!stopped) {
            try {
                if (source == null) {
                    source = connections.stream(workspaceId, trigger.connection(), spec());
                }
                consuming = true;
                if (!room.tryAcquire(FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue; // saturated: leave the messages in the broker
                }
                int free = 1 + room.drainPermits();
                room.release(free); // only this thread takes places: they are taken per message below
                List<StreamSource.Message> batch = source.fetch(Math.min(free, MAX_BATCH), FETCH_WAIT);
                for (StreamSource.Message m : batch) {
                    room.acquireUninterruptibly();
                    handle(source, m);
                }
                lastError = null;
                backoff = Duration.ofSeconds(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ConnectorException | RuntimeException e) {
                String why = e instanceof ConnectorException c ? c.code() + ": " + e.getMessage() : e.toString();
                if (!why.equals(lastError)) {
                    LOG.warn("stream trigger of flow {} in workspace {}: {}", flowId, workspaceId, why);
                }
                lastError = why;
                lastErrorAt = clock.instant();
                consuming = false;
                close(source); // what was not acknowledged is delivered again
                source = null;
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        consuming = false;
        close(source);
    }

    private void handle(StreamSource source, StreamSource.Message m) throws ConnectorException {
        boolean held = false;
        try {
            StreamEvents.Event event = StreamEvents.of(m);
            FlowEngine.RunHandle h = engine.start(
                    workspaceId,
                    flowId,
                    version,
                    new FlowEngine.TriggerEvent("stream", event.payload(), "stream:" + m.key()));
            // the run is durable: the broker may forget the message
            received.incrementAndGet();
            if (event.rejectedBecause() != null) {
                rejected.incrementAndGet();
                source.reject(m, event.rejectedBecause());
            } else {
                source.ack(m);
            }
            if (h.created() && event.rejectedBecause() == null) {
                held = true;
                CompletableFuture.anyOf(
                                h.finished(),
                                CompletableFuture.runAsync(
                                        () -> {},
                                        CompletableFuture.delayedExecutor(HOLD.toMillis(), TimeUnit.MILLISECONDS)))
                        .whenComplete((r, e) -> room.release());
            }
        } finally {
            if (!held) {
                room.release();
            }
        }
    }

    private StreamSource.Spec spec() {
        return new StreamSource.Spec(
                trigger.source(), trigger.group() == null ? flowId : trigger.group(), node, trigger.options());
    }

    private void close(StreamSource source) {
        if (source != null) {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the stream source of flow {} failed: {}", flowId, e.toString());
            }
        }
    }
}
