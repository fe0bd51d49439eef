package dev.junction.server.core;

import dev.junction.engine.exec.EngineSettings;
import dev.junction.store.JdbcWorkQueue;
import dev.junction.store.JdbcWorkspaces;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Prunes finished runs (with their step attempts and timers) older than each workspace's
 * retention policy, every {@link #EVERY}, in batches so that no transaction grows large. Only the
 * node holding the {@code retention} duty prunes. Space freed in SQLite is reused by new rows, so
 * the file stops growing under steady load.
 */
@Component
class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    static final Duration EVERY = Duration.ofMinutes(10);
    private static final int BATCH = 500;

    private final JdbcWorkQueue runs;
    private final JdbcWorkspaces workspaces;
    private final String node;
    private Instant next = Instant.MIN;

    Retention(JdbcWorkQueue runs, JdbcWorkspaces workspaces, EngineSettings settings) {
        this.runs = runs;
        this.workspaces = workspaces;
        this.node = settings.node();
    }

    /** Prunes when a pass is due and this node holds the duty; returns how many runs it deleted. */
    synchronized int runIfDue(Instant now) {
        if (now.isBefore(next)) {
            return 0;
        }
        next = now.plus(EVERY);
        if (!runs.holdDuty("retention", node, now, now.plus(EVERY.multipliedBy(2)))) {
            return 0;
        }
        int total = 0;
        for (Map.Entry<String, Integer> policy : workspaces.retentionDays().entrySet()) {
            Instant before = now.minus(Duration.ofDays(policy.getValue()));
            int n;
            do {
                n = runs.prune(policy.getKey(), before, BATCH);
                total += n;
            } while (n == BATCH);
        }
        if (total > 0) {
            LOG.info("retention pruned {} finished run(s)", total);
        }
        return total;
    }
}
