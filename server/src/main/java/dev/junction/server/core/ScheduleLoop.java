package dev.junction.server.core;

import dev.junction.engine.schedule.ScheduleTicker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Ticks the {@link ScheduleTicker} once a second on a daemon thread while the server runs. */
@Component
class ScheduleLoop implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleLoop.class);

    private final ScheduleTicker ticker;
    private volatile Thread thread;

    ScheduleLoop(ScheduleTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public void start() {
        thread = Thread.ofPlatform().daemon().name("junction-schedules").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ticker.tick();
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("schedule tick failed: {}", e.toString());
                }
            }
        });
    }

    @Override
    public void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
