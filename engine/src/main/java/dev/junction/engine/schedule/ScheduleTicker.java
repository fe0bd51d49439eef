package dev.junction.engine.schedule;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.flow.Cron;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowRecord;
import dev.junction.engine.port.ScheduleStore;
import dev.junction.engine.port.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires schedule triggers. Each {@link #tick()} starts a run for every enabled schedule flow whose
 * next fire time has come, with {@code trigger.time} set to that fire time. Next fire times are
 * stored ({@link ScheduleStore}), so a fire time that passed while Junction was down is found at
 * the next tick: a fire time more than {@link #GRACE} old is a misfire, handled by the trigger's
 * policy (fire once, skip, or fire all). Only the node holding the {@code schedules} duty ticks;
 * each fire carries the idempotency key {@code schedule:<time>}, so a fire is never started twice.
 * A flow first seen (or changed to a new version) is scheduled from the current time on.
 */
public final class ScheduleTicker {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicker.class);

    /** How late a fire time may be before it counts as missed. */
    public static final Duration GRACE = Duration.ofMinutes(1);

    private static final int MAX_CATCH_UP = 100;
    private static final Instant NEVER = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final FlowRepository flows;
    private final FlowEngine engine;
    private final ScheduleStore slots;
    private final WorkQueue duties;
    private final String node;
    private final Clock clock;

    public ScheduleTicker(
            FlowRepository flows, FlowEngine engine, ScheduleStore slots, WorkQueue duties, String node, Clock clock) {
        this.flows = flows;
        this.engine = engine;
        this.slots = slots;
        this.duties = duties;
        this.node = node;
        this.clock = clock;
    }

    /** Starts the runs that are due; returns how many were started. */
    public synchronized int tick() {
        Instant now = clock.instant();
        if (!duties.holdDuty("schedules", node, now, now.plus(Duration.ofSeconds(30)))) {
            return 0;
        }
        int started = 0;
        for (FlowRecord flow : flows.enabledWithTrigger("schedule")) {
            try {
                started += fire(flow, now);
            } catch (RuntimeException e) {
                LOG.warn(
                        "schedule of flow {} in workspace {} could not fire: {}",
                        flow.flowId(),
                        flow.workspaceId(),
                        e.toString());
            }
        }
        return started;
    }

    private int fire(FlowRecord flow, Instant now) {
        Trigger.Schedule schedule =
                (Trigger.Schedule) engine.definition(flow.workspaceId(), flow.flowId(), flow.latestVersion())
                        .trigger();
        Optional<ScheduleStore.Slot> slot = slots.slot(flow.workspaceId(), flow.flowId());
        if (slot.isEmpty() || slot.get().version() != flow.latestVersion()) {
            schedule(flow, schedule, now);
            return 0;
        }
        Instant due = slot.get().next();
        if (due.isAfter(now)) {
            return 0;
        }
        List<Instant> times = new ArrayList<>();
        for (Instant t = due; !t.isAfter(now) && times.size() < MAX_CATCH_UP; ) {
            times.add(t);
            Optional<Instant> n = next(schedule, t);
            if (n.isEmpty()) {
                break;
            }
            t = n.get();
        }
        boolean missed = times.getFirst().isBefore(now.minus(GRACE));
        List<Instant> fire = !missed
                ? List.of(times.getLast())
                : switch (schedule.misfire()) {
                    case ONCE -> List.of(times.getLast());
                    case SKIP -> List.of();
                    case ALL -> times;
                };
        for (Instant time : fire) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("time", time.toString());
            if (missed) {
                event.put("missed", times.size());
            }
            engine.start(
                    flow.workspaceId(),
                    flow.flowId(),
                    flow.latestVersion(),
                    new FlowEngine.TriggerEvent("schedule", event, "schedule:" + time));
        }
        if (missed && fire.size() != times.size()) {
            LOG.info(
                    "flow {}: {} schedule fire time(s) were missed while Junction was down; misfire policy {} fired {}",
                    flow.flowId(),
                    times.size(),
                    schedule.misfire(),
                    fire.size());
        }
        schedule(flow, schedule, now);
        return fire.size();
    }

    private void schedule(FlowRecord flow, Trigger.Schedule schedule, Instant now) {
        slots.put(
                flow.workspaceId(),
                flow.flowId(),
                new ScheduleStore.Slot(flow.latestVersion(), next(schedule, now).orElse(NEVER)));
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
