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
import java.util.function.BooleanSupplier;

/**
 * Executes one run of one flow version, step by step. Each finished attempt is stored before the
 * next step starts (the checkpoint). Steps whose path already has a checkpoint ({@code memo}) are
 * not executed again, which is how a run resumes after a restart. One instance per run; the
 * branches of {@code foreach} and {@code parallel} may run on several threads.
 */
final class RunExecution {
    private static final Object SKIPPED = new Object();

    private final RunServices services;
    private final EngineSettings settings;
    private final FlowDefinition flow;
    private final Resume resume;
    private final BooleanSupplier alive;
    private final Map<String, Object> memo;
    private final AtomicInteger seq;
    private final CompletableFuture<WebhookAnswer> answer;
    private final Map<String, Object> vars = new ConcurrentHashMap<>();
    private final StepActions actions;
    private volatile Run run;
    private Map<String, String> secrets = Map.of();
    private Redactor redactor = Redactor.NONE;
    private final Step lastStep; // the flow's last top-level step: its attempt is written with the run's end
    private Instant deadline;
    private StepAttempt held;

    RunExecution(
            RunServices services,
            EngineSettings settings,
            Run run,
            FlowDefinition flow,
            Resume resume,
            CompletableFuture<WebhookAnswer> answer,
            BooleanSupplier alive) {
        this.alive = alive;
        this.services = services;
        this.settings = settings;
        this.run = run;
        this.flow = flow;
        this.resume = resume;
        this.memo = resume.memo();
        this.lastStep = flow.steps().isEmpty() ? null : flow.steps().getLast();
        this.seq = new AtomicInteger(resume.lastSeq());
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

    /**
     * Runs the flow to its end and returns the finished run, as stored. Throws {@link Suspended}
     * when the run parks for a long wait, {@link Fenced} when it may no longer write.
     */
    Run execute() {
        if (run.status() != RunStatus.RUNNING || run.startedAt() == null) {
            run = run.started(services.clock().instant());
        }
        deadline = flow.options().timeout() == null
                ? null
                : run.startedAt().plus(flow.options().timeout());
        secrets = services.connections().secrets(run.workspaceId());
        redactor = Redactor.of(secrets.values());
        Scope scope = Scope.root(baseContext());
        try {
            refuseRejectedEvent();
            Object last = steps(flow.steps(), scope);
            run = run.succeeded(
                    redactor.redact(last == SKIPPED ? null : last),
                    services.clock().instant());
        } catch (StepError e) {
            runFlowErrorHandler(scope, e.error);
            run = run.failed(redact(e.error), services.clock().instant());
        }
        if (!alive.getAsBoolean()) {
            throw new Fenced();
        }
        boolean stored = held == null
                ? services.queue().save(run, settings.node())
                : services.queue().finish(held, run, settings.node());
        if (!stored) {
            throw new Fenced();
        }
        answer.complete(null);
        return run;
    }

    /**
     * A trigger event refused at ingress but kept (a poison message: {@code {rejected: {code,
     * message}, raw, ...}}) fails its run before any step, so it waits among the dead letters with
     * what arrived.
     */
    private void refuseRejectedEvent() {
        if (run.trigger() instanceof Map<?, ?> event && event.get(FlowEngine.REJECTED) instanceof Map<?, ?> why) {
            throw new StepError(
                    new RunError(String.valueOf(why.get("code")), String.valueOf(why.get("message")), null));
        }
    }

    private Map<String, Object> baseContext() {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("trigger", run.trigger());
        ctx.put("vars", vars);
        ctx.put("env", services.env());
        ctx.put("secrets", secrets);
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
        int failedBefore = resume.failures().getOrDefault(path, 0);
        if (failedBefore > 0 && failedBefore >= policy.maxAttempts()) {
            return handle(step, scope, resume.lastErrors().get(path));
        }
        for (int attempt = failedBefore + 1; ; attempt++) {
            Instant retryDue = resume.timers().get(retryTimer(path, attempt));
            if (retryDue != null) {
                waitUntil(retryDue);
            }
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
                    Duration backOff =
                            policy.delayBefore(attempt + 1, services.random().getAsDouble(), f.retryAfter());
                    if (!backOff.isZero()) {
                        Instant due = services.clock().instant().plus(backOff);
                        services.queue().setTimer(run.workspaceId(), run.id(), retryTimer(path, attempt + 1), due);
                        waitUntil(due);
                    }
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
        return step instanceof Step.Http || step instanceof Step.Call ? RetryPolicy.REMOTE_DEFAULT : RetryPolicy.NONE;
    }

    private static String retryTimer(String path, int attempt) {
        return path + "#" + attempt;
    }

    /** When the timer {@code key} of this run is due: the stored one, else {@code after} from now. */
    Instant timer(String key, Duration after) {
        Instant stored = resume.timers().get(key);
        if (stored != null) {
            return stored;
        }
        Instant due = services.clock().instant().plus(after);
        services.queue().setTimer(run.workspaceId(), run.id(), key, due);
        return due;
    }

    /**
     * Waits until {@code due}: in this thread when the wait is short, otherwise by parking the
     * run ({@link Suspended}) so that it holds no thread and no lease until it is due.
     */
    void waitUntil(Instant due) {
        Duration left = Duration.between(services.clock().instant(), due);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        if (left.compareTo(settings.inlineWait()) > 0) {
            throw new Suspended(due);
        }
        try {
            services.sleeper().sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("CANCELLED", "the run was interrupted", false, null, null);
        }
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
        StepAttempt checkpoint = new StepAttempt(
                run.workspaceId(),
                run.id(),
                mySeq,
                step.id(),
                path,
                step.common().type(),
                attempt,
                status,
                redactor.redact(input),
                redactor.redact(output),
                redact(error),
                started,
                services.clock().instant(),
                connection(step));
        if (!alive.getAsBoolean()) {
            throw new Fenced();
        }
        if (status == AttemptStatus.SUCCEEDED && step == lastStep && path.equals(step.id())) {
            held = checkpoint; // no step follows the run's last one: it is written with the run's end
            return;
        }
        if (!services.queue().checkpoint(checkpoint, settings.node())) {
            throw new Fenced();
        }
    }

    /** The connection a step calls, recorded with its attempts for per-connection activity. */
    private static String connection(Step step) {
        return switch (step) {
            case Step.Http h -> h.connection();
            case Step.Call c -> c.connection();
            default -> null;
        };
    }

    private RunError redact(RunError error) {
        return error == null ? null : new RunError(error.code(), redactor.text(error.message()), error.stepId());
    }

    /** Secret values replaced by {@code ***}, for answers that leave the run (webhook responses). */
    Object redacted(Object value) {
        return redactor.redact(value);
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

    /** The run waits until {@code due} without a thread: it is parked and claimed again then. */
    static final class Suspended extends RuntimeException {
        final Instant due;

        Suspended(Instant due) {
            super("suspended until " + due, null, false, false);
            this.due = due;
        }
    }

    /** This node may no longer write the run: its lease was lost or the run was cancelled. */
    static final class Fenced extends RuntimeException {
        Fenced() {
            super("the run's lease is held elsewhere or the run has finished", null, false, false);
        }
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
