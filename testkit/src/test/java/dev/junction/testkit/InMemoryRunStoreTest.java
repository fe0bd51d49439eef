package dev.junction.testkit;

import dev.junction.engine.memory.InMemoryRunStore;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.WorkQueue;

class InMemoryRunStoreTest extends RunStoreContract {
    private final InMemoryRunStore store = new InMemoryRunStore();

    @Override
    protected RunStore store() {
        return store;
    }

    @Override
    protected WorkQueue queue() {
        return store;
    }
}
