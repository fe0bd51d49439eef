package dev.junction.engine.schedule;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.flow.Cron;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires schedule triggers. Each {@link #tick()} starts a run for every enabled schedule flow whose
 * next fire time has come, with {@code trigger.time} set to that fire time. A flow first seen (or
 * changed to a new version) is scheduled from the current time on. The caller decides how often to
 * tick (the server: every second); tests tick with a fake clock. Thread-safe.
 */
public final class ScheduleTicker {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicker.class);

    private final FlowRepository flows;
    private final FlowEngine engine;
    private final Clock clock;
    private final Map<String, Instant> nextFire = new ConcurrentHashMap<>();

    public ScheduleTicker(FlowRepository flows, FlowEngine engine, Clock clock) {
        this.flows = flows;
        this.engine = engine;
        this.clock = clock;
    }

    /** Starts the runs that are due; returns how many were started. */
    public synchronized int tick() {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        int started = 0;
        for (FlowRecord flow : flows.enabledWithTrigger("schedule")) {
            String key = flow.workspaceId() + "/" + flow.flowId() + "/" + flow.latestVersion();
            seen.add(key);
            try {
                Trigger.Schedule schedule =
                        (Trigger.Schedule) engine.definition(flow.workspaceId(), flow.flowId(), flow.latestVersion())
                                .trigger();
                Instant due =
                        nextFire.computeIfAbsent(key, k -> next(schedule, now).orElse(Instant.MAX));
                if (!due.isAfter(now)) {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("time", due.toString());
                    engine.start(
                            flow.workspaceId(),
                            flow.flowId(),
                            flow.latestVersion(),
                            new FlowEngine.TriggerEvent("schedule", event, null));
                    started++;
                    nextFire.put(key, next(schedule, now).orElse(Instant.MAX));
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "schedule of flow {} in workspace {} could not fire: {}",
                        flow.flowId(),
                        flow.workspaceId(),
                        e.toString());
            }
        }
        nextFire.keySet().retainAll(seen);
        return started;
    }

    /** The fire time after {@code after}, if the schedule has one. */
    static Optional<Instant> next(Trigger.Schedule schedule, Instant after) {
        if (schedule.every() != null) {
            return Optional.of(after.plus(schedule.every()));
        }
        return Cron.parse(schedule.cron())
                .next(after.atZone(schedule.timezone()))
                .map(z -> z.toInstant());
    }
}
