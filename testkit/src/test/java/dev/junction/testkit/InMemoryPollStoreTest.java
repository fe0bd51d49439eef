package dev.junction.testkit;

import dev.junction.engine.memory.InMemoryPollStore;
import dev.junction.engine.port.PollStore;

class InMemoryPollStoreTest extends PollStoreContract {
    private final PollStore store = new InMemoryPollStore();

    @Override
    protected PollStore store() {
        return store;
    }
}
