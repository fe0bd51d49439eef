package dev.junction.store;

import dev.junction.engine.port.FlowRepository;
import dev.junction.testkit.FlowRepositoryContract;

class PostgresFlowRepositoryTest extends FlowRepositoryContract {
    @Override
    protected FlowRepository repository() {
        try {
            return new JdbcFlowRepository(Backends.postgres());
        } catch (Exception e) {
            throw new IllegalStateException("the Postgres test database is not available: " + e.getMessage(), e);
        }
    }
}
