package dev.junction.store;

/** Junction refuses to start because its data is not safe to run on; the message says what to do. */
public final class StartupRefusedException extends IllegalStateException {
    public StartupRefusedException(String message) {
        super(message);
    }
}
