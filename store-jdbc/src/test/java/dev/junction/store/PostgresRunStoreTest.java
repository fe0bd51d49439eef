package dev.junction.store;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.WorkQueue;
import dev.junction.testkit.RunStoreContract;

class PostgresRunStoreTest extends RunStoreContract {
    private static Database db() {
        try {
            return Backends.postgres();
        } catch (Exception e) {
            throw new IllegalStateException("the Postgres test database is not available: " + e.getMessage(), e);
        }
    }

    @Override
    protected RunStore store() {
        return new JdbcRunStore(db());
    }

    @Override
    protected WorkQueue queue() {
        return new JdbcWorkQueue(db());
    }

    @Override
    protected void workspace(String id) {
        new JdbcWorkspaces(db()).create(id, id, java.time.Instant.EPOCH);
    }
}
