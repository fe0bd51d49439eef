package dev.junction.store;

import dev.junction.engine.port.PollStore;
import dev.junction.testkit.PollStoreContract;

class SqlitePollStoreTest extends PollStoreContract {
    @Override
    protected PollStore store() {
        try {
            return new JdbcPollStore(Backends.sqlite());
        } catch (Exception e) {
            throw new IllegalStateException("the Sqlite test database is not available: " + e.getMessage(), e);
        }
    }
}
