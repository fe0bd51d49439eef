package dev.junction.testkit;

import dev.junction.engine.memory.InMemoryRunStore;
import dev.junction.engine.port.RunStore;

class InMemoryRunStoreTest extends RunStoreContract {
    private final RunStore store = new InMemoryRunStore();

    @Override
    protected RunStore store() {
        return store;
    }
}
