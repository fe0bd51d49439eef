package dev.junction.store;

import dev.junction.engine.port.RunStore;
import dev.junction.testkit.RunStoreContract;

class SqliteRunStoreTest extends RunStoreContract {
    @Override
    protected RunStore store() {
        try {
            return new JdbcRunStore(Backends.sqlite());
        } catch (Exception e) {
            throw new IllegalStateException("the Sqlite test database is not available: " + e.getMessage(), e);
        }
    }
}
