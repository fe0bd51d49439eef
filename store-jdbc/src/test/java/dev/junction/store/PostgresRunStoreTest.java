package dev.junction.store;

import dev.junction.testkit.RunStoreContract;

class PostgresRunStoreTest extends RunStoreContract {
    @Override
    protected Backend backend() {
        return Backends.runs(Backends::postgres);
    }
}
