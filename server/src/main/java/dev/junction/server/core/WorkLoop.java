package dev.junction.server.core;

import dev.junction.engine.exec.EngineSettings;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.schedule.ScheduleTicker;
import dev.junction.store.Database;
import dev.junction.store.JdbcWorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's share of the durable work, on one daemon thread: claims runnable runs (queued, due
 * after a wait, or left by a dead node) whenever woken and at least once a second, renews this
 * node's leases at a third of their length, ticks the schedules and runs retention. On PostgreSQL
 * a queued run anywhere in the cluster wakes it through {@code LISTEN/NOTIFY}. A failing database
 * pauses the loop, never ends it; work resumes when the database is back.
 */
@Component
class WorkLoop implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(WorkLoop.class);

    private final FlowEngine engine;
    private final ScheduleTicker schedules;
    private final Retention retention;
    private final Database db;
    private final Clock clock;
    private final Duration heartbeat;
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread thread;
    private volatile Thread listener;

    WorkLoop(
            FlowEngine engine,
            ScheduleTicker schedules,
            Retention retention,
            Database db,
            EngineSettings settings,
            Clock clock) {
        this.engine = engine;
        this.schedules = schedules;
        this.retention = retention;
        this.db = db;
        this.clock = clock;
        this.heartbeat = settings.lease().dividedBy(3);
    }

    /** Asks the loop to look for work now. */
    void wake() {
        wake.release();
    }

    @Override
    public void start() {
        listener = db.listen(JdbcWorkQueue.WAKE_CHANNEL, this::wake);
        thread = Thread.ofPlatform().daemon().name("junction-work").start(this::loop);
    }

    private void loop() {
        Instant nextBeat = Instant.MIN;
        Instant nextTick = Instant.MIN;
        boolean down = false;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Instant now = clock.instant();
                if (!now.isBefore(nextBeat)) {
                    engine.heartbeat();
                    nextBeat = now.plus(heartbeat);
                }
                engine.dispatch();
                if (!now.isBefore(nextTick)) {
                    schedules.tick();
                    retention.runIfDue(now);
                    nextTick = now.plusSeconds(1);
                }
                if (down) {
                    LOG.info("the database is reachable again; work continues");
                    down = false;
                }
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!down) {
                    LOG.warn("work paused: {}", e.getMessage());
                    down = true;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        for (Thread t : new Thread[] {thread, listener}) {
            if (t != null) {
                t.interrupt();
            }
        }
        thread = null;
        listener = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
