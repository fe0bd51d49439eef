package dev.junction.engine.exec;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.Step;
import dev.junction.engine.flow.Steps;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Replays finished runs as new runs with the same trigger event. From {@code START} the new run
 * executes every step again; from {@code FAILED_STEP} it starts with the original's successful
 * checkpoints and so continues at the step that failed. It runs on the original's pinned version or
 * on the flow's latest; a replay from the failed step onto a version whose steps no longer match
 * the checkpoints is refused. The original is marked as replayed (it leaves the dead letters).
 */
public final class Replays {
    /** Where a replay starts. */
    public enum From {
        START,
        FAILED_STEP
    }

    /** Which version a replay runs. */
    public enum Version {
        ORIGINAL,
        LATEST
    }

    /** One run of a bulk replay: the new run, or why that run could not be replayed. */
    public record Outcome(String runId, String flowId, String newRunId, String errorCode, String message) {}

    /** The most runs one bulk replay touches. */
    public static final int BULK_LIMIT = 1000;

    private final FlowEngine engine;

    Replays(FlowEngine engine) {
        this.engine = engine;
    }

    /** Replays one run; throws RUN_NOT_FOUND, RUN_NOT_FINISHED, REPLAY_INVALID or REPLAY_MISMATCH. */
    public FlowEngine.RunHandle replay(String workspaceId, String runId, From from, Version version) {
        Plan plan = plan(workspaceId, runId, from, version);
        Run original = plan.original;
        Run replay = Run.queued(
                workspaceId,
                engine.ids().newId(),
                original.flowId(),
                plan.version,
                original.triggerType(),
                original.trigger(),
                null,
                engine.services().clock().instant(),
                original.id());
        return engine.admit(replay, plan.flow, plan.checkpoints, original.id());
    }

    /**
     * Replays (or, with {@code dryRun}, only checks) every run the query selects, up to {@link
     * #BULK_LIMIT}; each run's outcome is reported, failures do not stop the others.
     */
    public List<Outcome> replayAll(String workspaceId, RunQuery query, From from, Version version, boolean dryRun) {
        List<Outcome> outcomes = new ArrayList<>();
        String cursor = null;
        do {
            int pageSize = Math.min(query.limit(), BULK_LIMIT - outcomes.size());
            Page<Run> page = engine.services()
                    .store()
                    .list(
                            workspaceId,
                            new RunQuery(
                                    query.flowId(),
                                    query.status(),
                                    query.since(),
                                    query.until(),
                                    query.errorCode(),
                                    query.deadLetters(),
                                    cursor,
                                    pageSize));
            for (Run run : page.items()) {
                try {
                    if (dryRun) {
                        plan(workspaceId, run.id(), from, version);
                        outcomes.add(new Outcome(run.id(), run.flowId(), null, null, null));
                    } else {
                        Run created =
                                replay(workspaceId, run.id(), from, version).run();
                        outcomes.add(new Outcome(run.id(), run.flowId(), created.id(), null, null));
                    }
                } catch (JunctionException e) {
                    outcomes.add(
                            new Outcome(run.id(), run.flowId(), null, e.code().name(), e.getMessage()));
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null && outcomes.size() < BULK_LIMIT);
        return outcomes;
    }

    private record Plan(Run original, int version, FlowDefinition flow, List<StepAttempt> checkpoints) {}

    private Plan plan(String workspaceId, String runId, From from, Version version) {
        Run original = engine.services()
                .store()
                .find(workspaceId, runId)
                .orElseThrow(() -> new JunctionException(ErrorCode.RUN_NOT_FOUND, "no run " + runId));
        if (!original.status().finished()) {
            throw new JunctionException(
                    ErrorCode.RUN_NOT_FINISHED,
                    "run %s is %s; cancel it or wait until it finishes before replaying it"
                            .formatted(runId, original.status()));
        }
        if (from == From.FAILED_STEP && original.status() == RunStatus.SUCCEEDED) {
            throw new JunctionException(
                    ErrorCode.REPLAY_INVALID,
                    "run %s succeeded, so it has no failed step; replay it from the start".formatted(runId));
        }
        int target = version == Version.ORIGINAL
                ? original.flowVersion()
                : engine.flows()
                        .find(workspaceId, original.flowId())
                        .orElseThrow(() -> new JunctionException(
                                ErrorCode.FLOW_NOT_FOUND, "flow %s no longer exists".formatted(original.flowId())))
                        .latestVersion();
        FlowDefinition flow = engine.definition(workspaceId, original.flowId(), target);
        List<StepAttempt> checkpoints = from == From.START
                ? List.of()
                : checkpoints(
                        original,
                        target,
                        flow,
                        engine.definition(workspaceId, original.flowId(), original.flowVersion()));
        return new Plan(original, target, flow, checkpoints);
    }

    /** The original's successful attempts, renumbered, checked against the target version. */
    private List<StepAttempt> checkpoints(Run original, int version, FlowDefinition target, FlowDefinition pinned) {
        Set<String> handlerSteps =
                Steps.walk(pinned.options().onError()).map(Step::id).collect(Collectors.toSet());
        Map<String, String> targetTypes = new LinkedHashMap<>();
        Steps.walk(target.steps())
                .forEach(s -> targetTypes.put(s.id(), s.common().type()));
        Set<String> mismatched = new TreeSet<>();
        List<StepAttempt> kept = new ArrayList<>();
        for (StepAttempt a : engine.services().store().attempts(original.workspaceId(), original.id())) {
            if (a.status() != AttemptStatus.SUCCEEDED || handlerSteps.contains(a.stepId())) {
                continue;
            }
            if (!a.stepType().equals(targetTypes.get(a.stepId()))) {
                mismatched.add(a.stepId());
            }
            kept.add(new StepAttempt(
                    a.workspaceId(),
                    a.runId(),
                    kept.size() + 1,
                    a.stepId(),
                    a.path(),
                    a.stepType(),
                    a.attempt(),
                    a.status(),
                    a.input(),
                    a.output(),
                    a.error(),
                    a.startedAt(),
                    a.endedAt(),
                    null)); // a copy did not call the connection again
        }
        String failedStep = original.error() == null ? null : original.error().stepId();
        if (failedStep != null && !targetTypes.containsKey(failedStep)) {
            mismatched.add(failedStep);
        }
        if (!mismatched.isEmpty()) {
            throw new JunctionException(
                    ErrorCode.REPLAY_MISMATCH,
                    "version %d of flow %s no longer has the steps %s that run %s passed through (or with another type); replay from the start or on the original version"
                            .formatted(version, original.flowId(), mismatched, original.id()));
        }
        return kept;
    }
}
