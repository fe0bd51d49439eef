package dev.junction.testkit;

import dev.junction.engine.exec.EngineSettings;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.RunServices;
import dev.junction.engine.expr.ExpressionLimits;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.memory.InMemoryFlowRepository;
import dev.junction.engine.memory.InMemoryRunStore;
import dev.junction.engine.port.Connections;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.IdGenerator;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.StepAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** An engine on in-memory stores and a fake clock, with helpers to deploy and run flows. */
final class EngineHarness {
    final FakeClock clock;
    final InMemoryRunStore runs;
    final InMemoryFlowRepository flows;
    final FlowEngine engine;

    EngineHarness(Map<String, String> env) {
        this(env, Duration.ofSeconds(5));
    }

    /** An engine whose runs reach connections and secrets through {@code connections}. */
    EngineHarness(Connections connections) {
        this(Map.of(), Duration.ofSeconds(5), connections, UnaryOperator.identity());
    }

    /** Waits up to {@code inlineWait} are slept in the run's thread (on the fake clock); longer ones park. */
    EngineHarness(Map<String, String> env, Duration inlineWait) {
        this(env, inlineWait, Connections.NONE, UnaryOperator.identity());
    }

    /** An engine whose work queue is the in-memory one as {@code queue} wraps it (to watch or delay it). */
    EngineHarness(UnaryOperator<WorkQueue> queue) {
        this(Map.of(), Duration.ofSeconds(5), Connections.NONE, queue);
    }

    /** A first node, "node-a", on new in-memory stores and a fake clock. */
    private EngineHarness(
            Map<String, String> env, Duration inlineWait, Connections connections, UnaryOperator<WorkQueue> queue) {
        this(
                env,
                new InMemoryRunStore(),
                new InMemoryFlowRepository(),
                FakeClock.at("2026-03-01T10:00:00Z"),
                new EngineSettings("node-a", Duration.ofSeconds(30), inlineWait, 20_000),
                connections,
                queue);
    }

    /** A second node on the same stores and clock (a cluster of engines sharing one database). */
    EngineHarness node(String name) {
        return new EngineHarness(
                Map.of(),
                runs,
                flows,
                clock,
                EngineSettings.defaults(name),
                Connections.NONE,
                UnaryOperator.identity());
    }

    private EngineHarness(
            Map<String, String> env,
            InMemoryRunStore runs,
            InMemoryFlowRepository flows,
            FakeClock clock,
            EngineSettings settings,
            Connections connections,
            UnaryOperator<WorkQueue> queue) {
        this.runs = runs;
        this.flows = flows;
        this.clock = clock;
        RunServices services = new RunServices(
                runs,
                queue.apply(runs),
                clock,
                clock,
                HttpCaller.standard(),
                env,
                ExpressionLimits.DEFAULT,
                () -> 0.5,
                connections);
        engine = new FlowEngine(flows, services, IdGenerator.timeOrdered(clock), settings);
    }

    FlowDefinition deploy(String yaml) {
        FlowDefinition d = engine.parser().parse(yaml, SourceFormat.YAML);
        int latest = flows.find("default", d.id())
                .map(FlowRepository.FlowRecord::latestVersion)
                .orElse(0);
        String path = d.trigger() instanceof Trigger.Webhook w ? w.path() : null;
        flows.save(
                new FlowRepository.NewVersion(
                        "default",
                        d.id(),
                        d.name(),
                        yaml,
                        SourceFormat.YAML,
                        d.trigger().type(),
                        path == null ? null : "POST",
                        path,
                        clock.instant()),
                latest);
        return d;
    }

    FlowEngine.RunHandle start(String flowId, Object body) {
        int version = flows.find("default", flowId).orElseThrow().latestVersion();
        return engine.start(
                "default", flowId, version, new FlowEngine.TriggerEvent("manual", Map.of("body", body), null));
    }

    Run run(String yaml, Object body) {
        FlowDefinition d = deploy(yaml);
        return start(d.id(), body).finished().join();
    }

    List<StepAttempt> attempts(Run run) {
        return runs.attempts("default", run.id());
    }
}
