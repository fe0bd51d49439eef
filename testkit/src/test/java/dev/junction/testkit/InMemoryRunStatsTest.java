package dev.junction.testkit;

import dev.junction.engine.memory.InMemoryRunStats;
import dev.junction.engine.memory.InMemoryRunStore;
import dev.junction.engine.port.RunStats;
import dev.junction.engine.port.WorkQueue;

class InMemoryRunStatsTest extends RunStatsContract {
    private final InMemoryRunStore store = new InMemoryRunStore();

    @Override
    protected RunStats stats() {
        return new InMemoryRunStats(store);
    }

    @Override
    protected WorkQueue queue() {
        return store;
    }
}
