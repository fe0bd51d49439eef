package dev.junction.testkit;

import dev.junction.engine.memory.InMemoryRunStore;

class InMemoryClaimTest extends ClaimContract {
    @Override
    protected Backend backend() {
        InMemoryRunStore store = new InMemoryRunStore();
        return new Backend(store, store, workspace -> {});
    }
}
