package dev.junction.server.core;

import dev.junction.engine.schedule.PollTicker;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Ticks the poll triggers once a second on a thread of their own, so that a slow far side delays
 * only polls, never the dispatch of runs ({@link WorkLoop}). A failing database pauses polling; it
 * resumes by itself.
 */
@Component
class PollLoop implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

    private final PollTicker polls;
    private volatile ScheduledExecutorService timer;
    private volatile boolean down;

    PollLoop(PollTicker polls) {
        this.polls = polls;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("junction-poll").factory());
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            polls.tick();
            if (down) {
                LOG.info("polling continues");
                down = false;
            }
        } catch (RuntimeException e) {
            if (!down) {
                LOG.warn("polling paused: {}", e.getMessage());
                down = true;
            }
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
