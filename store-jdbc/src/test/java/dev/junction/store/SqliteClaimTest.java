package dev.junction.store;

import dev.junction.testkit.ClaimContract;

class SqliteClaimTest extends ClaimContract {
    @Override
    protected Backend backend() {
        return Backends.runs(Backends::sqlite);
    }
}
