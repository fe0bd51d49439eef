package dev.junction.engine.memory;

import dev.junction.engine.port.PollStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PollStore} in memory. Thread-safe. */
public final class InMemoryPollStore implements PollStore {
    private final Map<String, State> states = new ConcurrentHashMap<>();

    @Override
    public Optional<State> state(String workspaceId, String flowId) {
        return Optional.ofNullable(states.get(workspaceId + "/" + flowId));
    }

    @Override
    public void put(String workspaceId, String flowId, State state) {
        states.put(workspaceId + "/" + flowId, state);
    }
}
