package dev.junction.engine.exec;

import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.RetryPolicy;
import dev.junction.engine.flow.Step;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes one run of one flow version, step by step. Each finished attempt is stored before the
 * next step starts (the checkpoint). Steps whose path already has a checkpoint ({@code memo}) are
 * not executed again, which is how a run resumes after a restart. One instance per run; the
 * branches of {@code foreach} and {@code parallel} may run on several threads.
 */
final class RunExecution {
    private static final Object SKIPPED = new Object();

    private final RunServices services;
    private final FlowDefinition flow;
    private final Map<String, Object> memo;
    private final AtomicInteger seq;
    private final CompletableFuture<WebhookAnswer> answer;
    private final Map<String, Object> vars = new ConcurrentHashMap<>();
    private final StepActions actions;
    private volatile Run run;
    private Instant deadline;

    RunExecution(
            RunServices services,
            Run run,
            FlowDefinition flow,
            Map<String, Object> memo,
            int nextSeq,
            CompletableFuture<WebhookAnswer> answer) {
        this.services = services;
        this.run = run;
        this.flow = flow;
        this.memo = Map.copyOf(memo);
        this.seq = new AtomicInteger(nextSeq);
        this.answer = answer;
        this.actions = new StepActions(this);
        flow.options().vars().forEach((k, v) -> {
            if (v != null) {
                vars.put(k, v);
            }
        });
    }

    RunServices services() {
        return services;
    }

    Run run() {
        return run;
    }

    /** Runs the flow to its end and returns the finished run, as stored. */
    Run execute() {
        Instant now = services.clock().instant();
        run = run.started(run.startedAt() == null ? now : run.startedAt());
        services.store().update(run);
        deadline = flow.options().timeout() == null
                ? null
                : run.startedAt().plus(flow.options().timeout());
        Scope scope = Scope.root(baseContext());
        try {
            Object last = steps(flow.steps(), scope);
            run = run.succeeded(last == SKIPPED ? null : last, services.clock().instant());
        } catch (StepError e) {
            runFlowErrorHandler(scope, e.error);
            run = run.failed(e.error, services.clock().instant());
        }
        services.store().update(run);
        answer.complete(null);
        return run;
    }

    private Map<String, Object> baseContext() {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("trigger", run.trigger());
        ctx.put("vars", vars);
        ctx.put("env", services.env());
        ctx.put("secrets", Map.of());
        ctx.put("run", Map.of("id", run.id(), "flowId", run.flowId(), "version", run.flowVersion(), "attempt", 1));
        return ctx;
    }

    /** Runs a list of steps in order; returns the last executed step's output. */
    Object steps(List<Step> steps, Scope scope) {
        Object last = SKIPPED;
        for (Step step : steps) {
            Object out = step(step, scope);
            if (out != SKIPPED) {
                last = out;
            }
        }
        return last;
    }

    Object outputOf(Object stepsResult) {
        return stepsResult == SKIPPED ? null : stepsResult;
    }

    private Object step(Step step, Scope scope) {
        String path = scope.path(step.id());
        if (memo.containsKey(path)) {
            Object out = memo.get(path);
            if (step instanceof Step.Set && out instanceof Map<?, ?> restored) {
                restored.forEach((k, v) -> vars.put(String.valueOf(k), v));
            }
            scope.output(step.id(), out);
            return out;
        }
        checkDeadline(step);
        Step.Common c = step.common();
        Instant whenAt = services.clock().instant();
        if (c.when() != null && !truthy(evaluateWhen(step, scope, whenAt))) {
            record(
                    step,
                    path,
                    1,
                    AttemptStatus.SKIPPED,
                    Map.of("when", c.when().source()),
                    null,
                    null,
                    whenAt,
                    seq.incrementAndGet());
            return SKIPPED;
        }
        RetryPolicy policy = c.retry() != null
                ? c.retry()
                : flow.options().retry() != null ? flow.options().retry() : defaultPolicy(step);
        for (int attempt = 1; ; attempt++) {
            int mySeq = seq.incrementAndGet();
            Instant started = services.clock().instant();
            StepActions.Attempt input = new StepActions.Attempt(path, attempt, started);
            try {
                Object out = actions.perform(step, scope, input);
                record(step, path, attempt, AttemptStatus.SUCCEEDED, input.input, out, null, started, mySeq);
                scope.output(step.id(), out);
                return out;
            } catch (StepFailure f) {
                record(
                        step,
                        path,
                        attempt,
                        AttemptStatus.FAILED,
                        input.input,
                        f.output(),
                        new RunError(f.code(), f.getMessage(), step.id()),
                        started,
                        mySeq);
                if (attempt < policy.maxAttempts()
                        && policy.retries(f.code(), f.retryable())
                        && !"CANCELLED".equals(f.code())) {
                    pause(policy.delayBefore(attempt + 1, services.random().getAsDouble(), f.retryAfter()));
                    continue;
                }
                return handle(step, scope, new RunError(f.code(), f.getMessage(), step.id()));
            } catch (StepError nested) {
                record(step, path, attempt, AttemptStatus.FAILED, input.input, null, nested.error, started, mySeq);
                return handle(step, scope, nested.error);
            }
        }
    }

    private Object evaluateWhen(Step step, Scope scope, Instant at) {
        try {
            return step.common().when().evaluate(scope.context(), services.limits());
        } catch (JunctionException e) {
            RunError error =
                    new RunError(e.code().name(), "'when' of step " + step.id() + ": " + e.getMessage(), step.id());
            record(
                    step,
                    scope.path(step.id()),
                    1,
                    AttemptStatus.FAILED,
                    Map.of("when", step.common().when().source()),
                    null,
                    error,
                    at,
                    seq.incrementAndGet());
            return handleAsThrow(step, scope, error);
        }
    }

    private Object handleAsThrow(Step step, Scope scope, RunError error) {
        handle(step, scope, error);
        return false;
    }

    private Object handle(Step step, Scope scope, RunError error) {
        return switch (step.common().onError()) {
            case Step.OnError.Fail f -> throw new StepError(error);
            case Step.OnError.Continue c -> {
                Object out = Map.of("error", errorValue(error));
                scope.output(step.id(), out);
                yield out;
            }
            case Step.OnError.Handle h -> {
                Object out = steps(h.steps(), scope.withError(errorValue(error)));
                scope.output(step.id(), Map.of("error", errorValue(error)));
                yield out;
            }
        };
    }

    private void runFlowErrorHandler(Scope scope, RunError error) {
        if (flow.options().onError().isEmpty()) {
            return;
        }
        try {
            steps(flow.options().onError(), scope.withError(errorValue(error)));
        } catch (StepError ignored) {
            // the handler's own failure is recorded on its attempt; the run's error stays the first one
        }
    }

    static Map<String, Object> errorValue(RunError error) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", error.code());
        e.put("message", error.message());
        e.put("stepId", error.stepId());
        return e;
    }

    private static RetryPolicy defaultPolicy(Step step) {
        return step instanceof Step.Http ? RetryPolicy.REMOTE_DEFAULT : RetryPolicy.NONE;
    }

    void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            services.sleeper().sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("CANCELLED", "the run was interrupted", false, null, null);
        }
    }

    void waiting(boolean isWaiting) {
        run = run.withStatus(isWaiting ? RunStatus.WAITING : RunStatus.RUNNING);
        services.store().update(run);
    }

    void respond(WebhookAnswer response) {
        answer.complete(response);
    }

    Map<String, Object> vars() {
        return vars;
    }

    Duration remaining() {
        return deadline == null ? null : Duration.between(services.clock().instant(), deadline);
    }

    private void checkDeadline(Step step) {
        if (deadline != null && !services.clock().instant().isBefore(deadline)) {
            throw new StepError(new RunError(
                    "RUN_TIMEOUT",
                    "the run exceeded its timeout of %s before step %s"
                            .formatted(flow.options().timeout(), step.id()),
                    step.id()));
        }
    }

    private void record(
            Step step,
            String path,
            int attempt,
            AttemptStatus status,
            Object input,
            Object output,
            RunError error,
            Instant started,
            int mySeq) {
        services.store()
                .record(new StepAttempt(
                        run.workspaceId(),
                        run.id(),
                        mySeq,
                        step.id(),
                        path,
                        step.common().type(),
                        attempt,
                        status,
                        input,
                        output,
                        error,
                        started,
                        services.clock().instant()));
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> l.stream().anyMatch(RunExecution::truthy);
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /** A step failed for good (after retries) and its onError let the failure through. */
    static final class StepError extends RuntimeException {
        final RunError error;

        StepError(RunError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
