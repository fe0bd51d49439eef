package dev.junction.store;

/**
 * How far a committed write is guaranteed to survive. {@code POWER_SAFE}: the commit is on stable
 * storage before it returns (fsync; survives a power loss). {@code CRASH_SAFE}: the commit is in the
 * database's log before it returns, so it survives the Junction process crashing, and it becomes
 * power-safe with the next power-safe commit (the log is sequential, so that fsync covers it).
 *
 * <p>Ingress (an acknowledged event), cancellations and every API change are power-safe. Step
 * checkpoints and run state are crash-safe by default: after a power loss a run may repeat the
 * steps after its last power-safe write — steps are at-least-once anyway, and calls carry
 * idempotency keys. {@code JUNCTION_DURABILITY=strict} makes every write power-safe.
 */
public enum Durability {
    POWER_SAFE,
    CRASH_SAFE
}
