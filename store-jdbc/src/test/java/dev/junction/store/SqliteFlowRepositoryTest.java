package dev.junction.store;

import dev.junction.engine.port.FlowRepository;
import dev.junction.testkit.FlowRepositoryContract;

class SqliteFlowRepositoryTest extends FlowRepositoryContract {
    @Override
    protected FlowRepository repository() {
        try {
            return new JdbcFlowRepository(Backends.sqlite());
        } catch (Exception e) {
            throw new IllegalStateException("the Sqlite test database is not available: " + e.getMessage(), e);
        }
    }
}
