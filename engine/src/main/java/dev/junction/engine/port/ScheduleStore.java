package dev.junction.engine.port;

import java.time.Instant;
import java.util.Optional;

/**
 * The next fire time of each schedule-triggered flow, kept as data so that a schedule missed
 * while Junction was down is noticed at start-up (and handled by the trigger's misfire policy).
 */
public interface ScheduleStore {

    /** The version a schedule was computed for and its next fire time. */
    record Slot(int version, Instant next) {}

    Optional<Slot> slot(String workspaceId, String flowId);

    void put(String workspaceId, String flowId, Slot slot);
}
