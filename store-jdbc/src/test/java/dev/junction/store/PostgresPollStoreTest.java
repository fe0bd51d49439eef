package dev.junction.store;

import dev.junction.engine.port.PollStore;
import dev.junction.testkit.PollStoreContract;

class PostgresPollStoreTest extends PollStoreContract {
    @Override
    protected PollStore store() {
        try {
            return new JdbcPollStore(Backends.postgres());
        } catch (Exception e) {
            throw new IllegalStateException("the Postgres test database is not available: " + e.getMessage(), e);
        }
    }
}
