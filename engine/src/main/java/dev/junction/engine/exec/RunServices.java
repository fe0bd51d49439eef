package dev.junction.engine.exec;

import dev.junction.engine.expr.ExpressionLimits;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.Sleeper;
import dev.junction.engine.port.WorkQueue;
import java.time.Clock;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * What a run's execution needs from the world. {@code env} holds the variables exposed to flows as
 * {@code env.<NAME>}; {@code random} feeds retry jitter.
 */
public record RunServices(
        RunStore store,
        WorkQueue queue,
        Clock clock,
        Sleeper sleeper,
        HttpCaller http,
        Map<String, String> env,
        ExpressionLimits limits,
        DoubleSupplier random) {
    public RunServices {
        env = Map.copyOf(env);
    }
}
