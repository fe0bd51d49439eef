package dev.junction.engine.memory;

import dev.junction.engine.port.ScheduleStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ScheduleStore} in memory. Thread-safe. */
public final class InMemoryScheduleStore implements ScheduleStore {
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    @Override
    public Optional<Slot> slot(String workspaceId, String flowId) {
        return Optional.ofNullable(slots.get(workspaceId + "/" + flowId));
    }

    @Override
    public void put(String workspaceId, String flowId, Slot slot) {
        slots.put(workspaceId + "/" + flowId, slot);
    }
}
