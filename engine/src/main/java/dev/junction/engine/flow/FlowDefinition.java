package dev.junction.engine.flow;

import java.util.List;

/**
 * A parsed, validated flow: one trigger and a list of steps. Immutable; a stored flow version
 * holds the source text this was parsed from, and a run pins the version it started on.
 */
public record FlowDefinition(
        String id, String name, String description, Trigger trigger, List<Step> steps, FlowOptions options) {
    public FlowDefinition {
        steps = List.copyOf(steps);
    }

    /** Whether any step (at any depth) is a {@code respond} step. */
    public boolean responds() {
        return Steps.any(steps, s -> s instanceof Step.Respond);
    }
}
