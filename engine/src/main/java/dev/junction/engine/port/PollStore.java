package dev.junction.engine.port;

import java.time.Instant;
import java.util.Optional;

/**
 * The state of each poll-triggered flow: where its feed stands (the cursor), when it polls next,
 * and how the last poll went. Kept as data so that a restart, or another node taking over the
 * {@code polls} duty, continues the feed where it stood.
 */
public interface PollStore {

    /**
     * {@code source} names what the cursor belongs to (connection, operation, input); {@code
     * cursor} is a JSON-like value or null before the first poll; {@code lastError} is null after
     * a successful poll; {@code items} counts the items seen by this feed.
     */
    record State(String source, Object cursor, Instant next, Instant lastPolledAt, String lastError, long items) {}

    Optional<State> state(String workspaceId, String flowId);

    void put(String workspaceId, String flowId, State state);
}
