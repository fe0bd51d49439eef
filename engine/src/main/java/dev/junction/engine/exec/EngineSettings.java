package dev.junction.engine.exec;

import java.time.Duration;

/**
 * How this node executes runs. {@code node} names it in leases (unique per running process);
 * {@code lease} is how long a claimed run stays this node's without renewal; a wait longer than
 * {@code inlineWait} parks the run instead of holding a thread; at most {@code maxActiveRuns} runs
 * execute here at once (the rest wait in the queue).
 */
public record EngineSettings(String node, Duration lease, Duration inlineWait, int maxActiveRuns) {
    public EngineSettings {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("node must be named");
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease must be at least 1s, was " + lease);
        }
        if (maxActiveRuns < 1) {
            throw new IllegalArgumentException("maxActiveRuns must be at least 1");
        }
    }

    public static EngineSettings defaults(String node) {
        return new EngineSettings(node, Duration.ofSeconds(30), Duration.ofSeconds(5), 20_000);
    }
}
