package dev.junction.engine.exec;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.FlowParser;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.IdGenerator;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.StepAttempt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs and executes them on virtual threads. A run is stored before {@link #start} returns,
 * so an accepted event is never lost. A run that may start at once is leased to this node and
 * executed right away; others (over their flow's concurrency limit, parked in a long wait, or
 * left behind by a node that died) are claimed by {@link #dispatch()}, which the host calls
 * periodically and on wake-ups, and resume from their checkpoints. {@link #heartbeat()} renews
 * this node's leases. Thread-safe.
 */
public final class FlowEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);
    private static final int CLAIM_BATCH = 256;

    private final FlowRepository flows;
    private final RunServices services;
    private final IdGenerator ids;
    private final EngineSettings settings;
    private final FlowParser parser = new FlowParser();
    private final Map<String, FlowDefinition> definitions = new ConcurrentHashMap<>();
    private final Map<String, Handles> waiting = new ConcurrentHashMap<>();
    private final Map<String, FutureTask<Void>> active = new ConcurrentHashMap<>();
    private final Map<String, Run> stranded = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Replays replays;
    private volatile boolean halted;

    public FlowEngine(FlowRepository flows, RunServices services, IdGenerator ids, EngineSettings settings) {
        this.flows = flows;
        this.services = services;
        this.ids = ids;
        this.settings = settings;
        this.replays = new Replays(this);
    }

    /** A started (or, for a repeated idempotency key, the original) run. */
    public record RunHandle(
            Run run, boolean created, CompletableFuture<WebhookAnswer> answer, CompletableFuture<Run> finished) {}

    /**
     * The key of a trigger event that was refused but kept, {@code {code, message}}: its run fails at
     * once and waits among the dead letters (poison messages of stream triggers).
     */
    public static final String REJECTED = "rejected";

    /** What started a run: the trigger type, its event as a plain value, and an optional key. */
    public record TriggerEvent(String type, Object payload, String idempotencyKey) {}

    /** The futures of a run someone in this process waits on. */
    private record Handles(CompletableFuture<WebhookAnswer> answer, CompletableFuture<Run> finished) {}

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

    /** Stores a new run of {@code version} and, when it may start at once, executes it here. */
    public RunHandle start(String workspaceId, String flowId, int version, TriggerEvent event) {
        FlowDefinition flow = definition(workspaceId, flowId, version);
        Run run = Run.queued(
                workspaceId,
                ids.newId(),
                flowId,
                version,
                event.type(),
                event.payload(),
                event.idempotencyKey(),
                services.clock().instant(),
                null);
        return admit(run, flow, List.of(), null);
    }

    RunHandle admit(Run run, FlowDefinition flow, List<StepAttempt> checkpoints, String replayOf) {
        Instant now = services.clock().instant();
        WorkQueue.Admission admission = services.queue()
                .admit(new WorkQueue.Admit(
                        run,
                        flow.options().concurrencyLimit(),
                        checkpoints,
                        replayOf,
                        settings.node(),
                        now.plus(settings.lease())));
        if (!admission.created()) {
            RuntimeException notDurable = whyNotDurable(admission);
            if (notDurable != null) {
                throw notDurable;
            }
            return new RunHandle(
                    admission.run(),
                    false,
                    CompletableFuture.completedFuture(null),
                    CompletableFuture.completedFuture(admission.run()));
        }
        Handles handles = new Handles(new CompletableFuture<>(), new CompletableFuture<>());
        waiting.put(key(admission.run()), handles);
        // A caller that waits for the run's answer gains when the run starts while its admission
        // is being synced; for the others an early start only competes with the next admissions.
        boolean early = flow.responds();
        RuntimeException notDurable = early ? null : whyNotDurable(admission);
        if (admission.leased()) {
            Resume resume = checkpoints.isEmpty() ? Resume.FRESH : Resume.of(checkpoints, Map.of());
            launch(admission.run(), flow, resume); // committed, so it runs even if its caller is refused
        } else {
            handles.answer().complete(null); // queued behind the flow's concurrency limit: 202
        }
        if (early) {
            notDurable = whyNotDurable(admission);
        }
        if (notDurable != null) {
            throw notDurable;
        }
        return new RunHandle(admission.run(), true, handles.answer(), handles.finished());
    }

    /**
     * Waits until the admission survives a power loss (the caller may then acknowledge the event);
     * null then, else why that cannot be known (say {@code UNAVAILABLE}). The run is committed
     * either way.
     */
    private static RuntimeException whyNotDurable(WorkQueue.Admission admission) {
        try {
            admission.durable().join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Claims runnable runs (queued, due after a wait, or abandoned by a dead node) up to this
     * node's capacity and executes them from their checkpoints; first continues the runs that
     * paused here because the store was unreachable. Returns how many it started.
     */
    public int dispatch() {
        int started = continueStranded();
        while (true) {
            int room = settings.maxActiveRuns() - active.size();
            if (room <= 0) {
                return started;
            }
            Instant now = services.clock().instant();
            int batch = Math.min(room, CLAIM_BATCH);
            List<Run> claimed = services.queue().claim(settings.node(), now, now.plus(settings.lease()), batch);
            for (Run run : claimed) {
                started += resumeHere(run) ? 1 : 0;
            }
            if (claimed.size() < batch) {
                return started;
            }
        }
    }

    /**
     * Takes back, at once, the runs this node's name still holds leases on (a restart under the
     * same {@code JUNCTION_NODE_ID}: nothing executes here yet, so every such lease is an orphan),
     * then dispatches. Call once at start-up.
     */
    public int recover() {
        services.queue().renew(settings.node(), services.clock().instant());
        return dispatch();
    }

    private int continueStranded() {
        int started = 0;
        for (Map.Entry<String, Run> e : stranded.entrySet()) {
            if (stranded.remove(e.getKey(), e.getValue())) {
                try {
                    started += resumeHere(e.getValue()) ? 1 : 0;
                } catch (JunctionException stillDown) {
                    stranded.putIfAbsent(e.getKey(), e.getValue());
                    throw stillDown;
                }
            }
        }
        return started;
    }

    /** Executes a run this node holds from its checkpoints; false when it cannot be resumed. */
    private boolean resumeHere(Run run) {
        try {
            FlowDefinition flow = definition(run.workspaceId(), run.flowId(), run.flowVersion());
            Resume resume = Resume.of(
                    services.store().attempts(run.workspaceId(), run.id()),
                    services.queue().timers(run.workspaceId(), run.id()));
            return launch(run, flow, resume);
        } catch (JunctionException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                throw e;
            }
            services.queue()
                    .save(
                            run.failed(
                                    new RunError(e.code().name(), "cannot resume: " + e.getMessage(), null),
                                    services.clock().instant()),
                            settings.node());
            return false;
        }
    }

    /** Renews the leases of the runs this node executes; returns how many. */
    public int heartbeat() {
        return services.queue()
                .renew(settings.node(), services.clock().instant().plus(settings.lease()));
    }

    /**
     * Cancels an unfinished run: it stops at its next step, wherever it executes. Throws {@code
     * RUN_NOT_FOUND} or {@code RUN_FINISHED}.
     */
    public Run cancel(String workspaceId, String runId) {
        Run current = services.store()
                .find(workspaceId, runId)
                .orElseThrow(() -> new JunctionException(ErrorCode.RUN_NOT_FOUND, "no run " + runId));
        if (current.status().finished()) {
            throw new JunctionException(
                    ErrorCode.RUN_FINISHED,
                    "run %s already finished as %s; only unfinished runs can be cancelled"
                            .formatted(runId, current.status()));
        }
        Run cancelled = services.queue()
                .cancel(workspaceId, runId, services.clock().instant())
                .orElseThrow(() -> new JunctionException(ErrorCode.RUN_NOT_FOUND, "no run " + runId));
        FutureTask<Void> execution = active.get(key(cancelled));
        if (execution != null) {
            execution.cancel(true);
        }
        Handles handles = waiting.remove(key(cancelled));
        if (handles != null) {
            handles.answer().complete(null);
            handles.finished().complete(cancelled);
        }
        return cancelled;
    }

    /** Replays of finished runs. */
    public Replays replays() {
        return replays;
    }

    /**
     * Executes the run on a worker unless it already executes here (two claims of one run by this
     * node, e.g. a wake-up racing the periodic dispatch, must not execute it twice).
     */
    private boolean launch(Run run, FlowDefinition flow, Resume resume) {
        String key = key(run);
        Handles handles =
                waiting.computeIfAbsent(key, k -> new Handles(new CompletableFuture<>(), new CompletableFuture<>()));
        FutureTask<Void>[] self = new FutureTask[1];
        self[0] = new FutureTask<>(() -> execute(run, flow, resume, handles, key, self[0]), null);
        if (active.putIfAbsent(key, self[0]) != null) {
            return false;
        }
        workers.execute(self[0]);
        return true;
    }

    private void execute(
            Run run, FlowDefinition flow, Resume resume, Handles handles, String key, FutureTask<Void> self) {
        try {
            try {
                Run done = new RunExecution(services, settings, run, flow, resume, handles.answer(), () -> !halted)
                        .execute();
                waiting.remove(key);
                handles.finished().complete(done);
            } catch (RunExecution.Suspended s) {
                if (services.queue().park(run.workspaceId(), run.id(), settings.node(), s.due)) {
                    handles.answer().complete(null);
                }
            }
        } catch (RunExecution.Fenced f) {
            LOG.debug("run {} continues elsewhere (lease lost or cancelled)", run.id());
            handles.answer().complete(null);
        } catch (JunctionException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                strand(run, handles, e);
            } else {
                fail(run, handles, e);
            }
        } catch (RuntimeException | Error e) {
            fail(run, handles, e);
        } finally {
            active.remove(key, self);
            if (flow.options().concurrencyLimit() > 0 && !workers.isShutdown()) {
                try {
                    workers.execute(() -> startNextQueued(run)); // a slot of the flow is free
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // the next node start claims it
                }
            }
        }
    }

    /**
     * The store is unreachable: the run keeps its lease (renewed by the heartbeat once the store is
     * back) and the next {@link #dispatch()} continues it from its checkpoints.
     */
    private void strand(Run run, Handles handles, JunctionException why) {
        LOG.warn("run {} paused until the store is reachable: {}", run.id(), why.getMessage());
        stranded.put(key(run), run);
        handles.answer().complete(null);
    }

    private void fail(Run run, Handles handles, Throwable e) {
        LOG.error("run {} of flow {} stopped unexpectedly", run.id(), run.flowId(), e);
        Run failed = run.failed(
                new RunError(ErrorCode.INTERNAL.name(), "internal error: " + e, null),
                services.clock().instant());
        try {
            services.queue().save(failed, settings.node());
        } catch (JunctionException storeDown) {
            e.addSuppressed(storeDown);
            strand(run, handles, storeDown); // it fails again, or succeeds, when resumed
            return;
        }
        handles.answer().complete(null);
        waiting.remove(key(run));
        handles.finished().complete(failed);
    }

    /** Starts the flow's oldest queued run here, if the flow is under its limit (and the node has room). */
    private void startNextQueued(Run finished) {
        try {
            while (active.size() < settings.maxActiveRuns()) {
                Instant now = services.clock().instant();
                Optional<Run> next = services.queue()
                        .claimNext(
                                finished.workspaceId(),
                                finished.flowId(),
                                settings.node(),
                                now,
                                now.plus(settings.lease()));
                if (next.isEmpty() || !resumeHere(next.get())) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug(
                    "starting the next queued run of {} failed; the periodic dispatch will: {}",
                    finished.flowId(),
                    e.toString());
        }
    }

    private static String key(Run run) {
        return run.workspaceId() + "/" + run.id();
    }

    RunServices services() {
        return services;
    }

    EngineSettings settings() {
        return settings;
    }

    IdGenerator ids() {
        return ids;
    }

    FlowRepository flows() {
        return flows;
    }

    /** The number of runs executing in this process now. */
    public int activeRuns() {
        return active.size();
    }

    /** Stops accepting work and waits up to {@code seconds} for running runs to finish. */
    public void shutdown(long seconds) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(seconds, TimeUnit.SECONDS)) {
                halt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            halt();
        }
    }

    /** Stops at once, like a process that died: runs stop mid-step and keep their leases. */
    public void halt() {
        halted = true;
        workers.shutdownNow();
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
