package dev.junction.store;

import dev.junction.engine.port.RunStats;
import dev.junction.engine.port.WorkQueue;
import dev.junction.testkit.RunStatsContract;

class SqliteRunStatsTest extends RunStatsContract {
    private static Database db() {
        try {
            return Backends.sqlite();
        } catch (Exception e) {
            throw new IllegalStateException("the Sqlite test database is not available: " + e.getMessage(), e);
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
