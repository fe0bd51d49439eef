package dev.junction.store;

import dev.junction.testkit.ClaimContract;

class PostgresClaimTest extends ClaimContract {
    @Override
    protected Backend backend() {
        return Backends.runs(Backends::postgres);
    }
}
