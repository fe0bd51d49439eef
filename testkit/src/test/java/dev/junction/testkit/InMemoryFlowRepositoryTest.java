package dev.junction.testkit;

import dev.junction.engine.memory.InMemoryFlowRepository;
import dev.junction.engine.port.FlowRepository;

class InMemoryFlowRepositoryTest extends FlowRepositoryContract {
    private final FlowRepository repository = new InMemoryFlowRepository();

    @Override
    protected FlowRepository repository() {
        return repository;
    }
}
