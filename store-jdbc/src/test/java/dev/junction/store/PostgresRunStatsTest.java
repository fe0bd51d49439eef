package dev.junction.store;

import dev.junction.engine.port.RunStats;
import dev.junction.engine.port.WorkQueue;
import dev.junction.testkit.RunStatsContract;

class PostgresRunStatsTest extends RunStatsContract {
    private static Database db() {
        try {
            return Backends.postgres();
        } catch (Exception e) {
            throw new IllegalStateException("the Postgres test database is not available: " + e.getMessage(), e);
        }
    }

    @Override
    protected RunStats stats() {
        return new JdbcRunStats(db());
    }

    @Override
    protected WorkQueue queue() {
        return new JdbcWorkQueue(db());
    }
}
