package dev.junction.testkit;

import dev.junction.engine.memory.InMemoryRunStore;

class InMemoryRunStoreTest extends RunStoreContract {
    @Override
    protected Backend backend() {
        InMemoryRunStore store = new InMemoryRunStore();
        return new Backend(store, store, workspace -> {});
    }
}
