package dev.junction.engine.port;

import java.time.Duration;

/** Waits. Production sleeps the (virtual) thread; tests advance a fake clock instead. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d);
}
