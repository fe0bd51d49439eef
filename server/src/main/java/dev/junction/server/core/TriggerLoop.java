package dev.junction.server.core;

import dev.junction.engine.schedule.PollTicker;
import dev.junction.engine.stream.StreamConsumers;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Once a second, on a thread of its own (so that a slow far side never delays the dispatch of runs
 * in {@link WorkLoop}): ticks the poll triggers and brings this node's stream consumers in line with
 * the enabled stream flows. A failing database pauses both; they resume by themselves. Stopping
 * closes the stream consumers (what they had not acknowledged is delivered again).
 */
@Component
class TriggerLoop implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerLoop.class);

    private final PollTicker polls;
    private final StreamConsumers streams;
    private volatile ScheduledExecutorService timer;
    private volatile boolean down;

    TriggerLoop(PollTicker polls, StreamConsumers streams) {
        this.polls = polls;
        this.streams = streams;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("junction-triggers").factory());
        timer.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            streams.sync();
            polls.tick();
            if (down) {
                LOG.info("poll and stream triggers continue");
                down = false;
            }
        } catch (RuntimeException e) {
            if (!down) {
                LOG.warn("poll and stream triggers paused: {}", e.getMessage());
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
        streams.close();
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
