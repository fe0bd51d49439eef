package dev.junction.store;

import dev.junction.engine.port.FlowRepository;
import dev.junction.testkit.FlowRepositoryContract;

class SqliteFlowRepositoryTest extends FlowRepositoryContract {
    /** One repository per test, as the server holds one: what it remembers must follow every change. */
    private FlowRepository repository;

    @Override
    protected FlowRepository repository() {
        try {
            if (repository == null) {
                repository = new JdbcFlowRepository(Backends.sqlite());
            }
            return repository;
        } catch (Exception e) {
            throw new IllegalStateException("the Sqlite test database is not available: " + e.getMessage(), e);
        }
    }
}
