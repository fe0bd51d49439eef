package dev.junction.server.workspace;

import dev.junction.store.JdbcWorkspaces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Which workspaces are archived, for the webhook path: read from the database at most every few
 * seconds (an archive takes effect on webhooks within {@link #REFRESH}), so ingress pays a set
 * lookup, not a query. Thread-safe.
 */
@Component
public class ArchivedWorkspaces {
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final JdbcWorkspaces workspaces;
    private final Clock clock;
    private volatile Set<String> archived = Set.of();
    private volatile Instant readAt = Instant.MIN;

    ArchivedWorkspaces(JdbcWorkspaces workspaces, Clock clock) {
        this.workspaces = workspaces;
        this.clock = clock;
    }

    public boolean archived(String workspaceId) {
        Instant now = clock.instant();
        if (now.isAfter(readAt.plus(REFRESH))) {
            synchronized (this) {
                if (now.isAfter(readAt.plus(REFRESH))) {
                    archived = workspaces.archived();
                    readAt = now;
                }
            }
        }
        return archived.contains(workspaceId);
    }

    /** Forgets what was read, so the next question reads again (after this node archived one). */
    void changed() {
        readAt = Instant.MIN;
    }
}
