package dev.junction.engine.exec;

import dev.junction.engine.expr.ExpressionLimits;
import dev.junction.engine.port.Connections;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.Sleeper;
import dev.junction.engine.port.WorkQueue;
import java.time.Clock;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * What a run's execution needs from the world. {@code env} holds the variables exposed to flows as
 * {@code env.<NAME>}; {@code random} feeds retry jitter; {@code connections} serves {@code call}
 * steps, {@code http} steps with a connection and {@code secrets.<name>}.
 */
public record RunServices(
        RunStore store,
        WorkQueue queue,
        Clock clock,
        Sleeper sleeper,
        HttpCaller http,
        Map<String, String> env,
        ExpressionLimits limits,
        DoubleSupplier random,
        Connections connections) {
    public RunServices {
        env = Map.copyOf(env);
    }

    /** Services without connections or secrets. */
    public RunServices(
            RunStore store,
            WorkQueue queue,
            Clock clock,
            Sleeper sleeper,
            HttpCaller http,
            Map<String, String> env,
            ExpressionLimits limits,
            DoubleSupplier random) {
        this(store, queue, clock, sleeper, http, env, limits, random, Connections.NONE);
    }
}
