package dev.junction.store;

import dev.junction.engine.port.RunStore;
import dev.junction.testkit.RunStoreContract;

class PostgresRunStoreTest extends RunStoreContract {
    @Override
    protected RunStore store() {
        try {
            return new JdbcRunStore(Backends.postgres());
        } catch (Exception e) {
            throw new IllegalStateException("the Postgres test database is not available: " + e.getMessage(), e);
        }
    }
}
