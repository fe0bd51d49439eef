package dev.junction.engine.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Flow-level options of FLOWS.md: {@code concurrency.limit} (0 = unlimited), {@code timeout} of
 * the whole run (null = none), the default {@code retry} of its steps (null = per-type defaults),
 * {@code onError} steps run once when the run fails, and initial {@code vars}.
 */
public record FlowOptions(
        int concurrencyLimit, Duration timeout, RetryPolicy retry, List<Step> onError, Map<String, Object> vars) {
    public static final FlowOptions NONE = new FlowOptions(0, null, null, List.of(), Map.of());

    public FlowOptions {
        onError = List.copyOf(onError);
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    }
}
