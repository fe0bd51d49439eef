package dev.junction.store;

import dev.junction.testkit.RunStoreContract;

class SqliteRunStoreTest extends RunStoreContract {
    @Override
    protected Backend backend() {
        return Backends.runs(Backends::sqlite);
    }
}
