package dev.junction.engine.exec;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.FlowParser;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.IdGenerator;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs and executes them on virtual threads. A run is stored ({@code QUEUED}) before
 * {@link #start} returns, so an accepted event is never lost; it then executes asynchronously. At
 * start-up {@link #resumeUnfinished()} continues runs a previous process left unfinished, from
 * their last checkpoint. Thread-safe.
 */
public final class FlowEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);

    private final FlowRepository flows;
    private final RunServices services;
    private final IdGenerator ids;
    private final FlowParser parser = new FlowParser();
    private final Map<String, FlowDefinition> definitions = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<Run>> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    public FlowEngine(FlowRepository flows, RunServices services, IdGenerator ids) {
        this.flows = flows;
        this.services = services;
        this.ids = ids;
    }

    /** A started (or, for a repeated idempotency key, the original) run. */
    public record RunHandle(
            Run run, boolean created, CompletableFuture<WebhookAnswer> answer, CompletableFuture<Run> finished) {}

    /** What started a run: the trigger type, its event as a plain value, and an optional key. */
    public record TriggerEvent(String type, Object payload, String idempotencyKey) {}

    /** The definition of a stored version, parsed once and cached (versions are immutable). */
    public FlowDefinition definition(String workspaceId, String flowId, int version) {
        String key = workspaceId + "/" + flowId + "/" + version;
        FlowDefinition cached = definitions.get(key);
        if (cached != null) {
            return cached;
        }
        var stored = flows.version(workspaceId, flowId, version)
                .orElseThrow(() -> new JunctionException(
                        ErrorCode.FLOW_NOT_FOUND, "flow %s has no version %d".formatted(flowId, version)));
        FlowDefinition parsed = parser.parse(stored.source(), stored.format());
        if (definitions.size() > 10_000) {
            definitions.clear();
        }
        definitions.put(key, parsed);
        return parsed;
    }

    /** Stores a new run of {@code version} and starts executing it. */
    public RunHandle start(String workspaceId, String flowId, int version, TriggerEvent event) {
        FlowDefinition flow = definition(workspaceId, flowId, version);
        Run run = new Run(
                workspaceId,
                ids.newId(),
                flowId,
                version,
                RunStatus.QUEUED,
                event.type(),
                event.payload(),
                event.idempotencyKey(),
                null,
                null,
                services.clock().instant(),
                null,
                null);
        var creation = services.store().create(run);
        if (!creation.created()) {
            return new RunHandle(
                    creation.run(),
                    false,
                    CompletableFuture.completedFuture(null),
                    CompletableFuture.completedFuture(creation.run()));
        }
        return launch(creation.run(), flow, Map.of(), 0);
    }

    /** Continues every unfinished run from its checkpoints; returns how many were resumed. */
    public int resumeUnfinished() {
        int resumed = 0;
        for (Run run : services.store().unfinished()) {
            Map<String, Object> memo = new HashMap<>();
            int maxSeq = 0;
            for (StepAttempt a : services.store().attempts(run.workspaceId(), run.id())) {
                maxSeq = Math.max(maxSeq, a.seq());
                if (a.status() == AttemptStatus.SUCCEEDED) {
                    memo.put(a.path(), a.output());
                }
            }
            try {
                launch(run, definition(run.workspaceId(), run.flowId(), run.flowVersion()), memo, maxSeq);
                resumed++;
            } catch (JunctionException e) {
                services.store()
                        .update(run.failed(
                                new RunError(e.code().name(), "cannot resume: " + e.getMessage(), null),
                                services.clock().instant()));
            }
        }
        return resumed;
    }

    private RunHandle launch(Run run, FlowDefinition flow, Map<String, Object> memo, int nextSeq) {
        CompletableFuture<WebhookAnswer> answer = new CompletableFuture<>();
        CompletableFuture<Run> finished = new CompletableFuture<>();
        inFlight.add(finished);
        workers.execute(() -> {
            try {
                finished.complete(new RunExecution(services, run, flow, memo, nextSeq, answer).execute());
            } catch (RuntimeException | Error e) {
                LOG.error("run {} of flow {} stopped unexpectedly", run.id(), run.flowId(), e);
                Run failed = run.failed(
                        new RunError(ErrorCode.INTERNAL.name(), "internal error: " + e, null),
                        services.clock().instant());
                try {
                    services.store().update(failed);
                } catch (RuntimeException storeDown) {
                    e.addSuppressed(storeDown);
                }
                answer.complete(null);
                finished.complete(failed);
            } finally {
                inFlight.remove(finished);
            }
        });
        return new RunHandle(run, true, answer, finished);
    }

    /** The number of runs executing in this process now. */
    public int activeRuns() {
        return inFlight.size();
    }

    /** Stops accepting work and waits up to {@code seconds} for running runs to finish. */
    public void shutdown(long seconds) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(seconds, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    @Override
    public void close() {
        shutdown(10);
    }

    /** The flow parser this engine uses, for validating definitions before they are stored. */
    public FlowParser parser() {
        return parser;
    }
}
