package dev.junction.engine.run;

/** How one attempt of one step ended. */
public enum AttemptStatus {
    SUCCEEDED,
    FAILED,
    SKIPPED
}
