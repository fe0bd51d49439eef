package dev.junction.bench;

import dev.junction.engine.exec.EngineSettings;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.RunServices;
import dev.junction.engine.expr.ExpressionLimits;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.json.Json;
import dev.junction.engine.memory.InMemoryFlowRepository;
import dev.junction.engine.memory.InMemoryRunStore;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.IdGenerator;
import dev.junction.engine.port.Sleeper;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The engine's own time per step, apart from I/O: the W3 flow executed in this process on the
 * in-memory stores, one run at a time. For each run, the wall time minus the time inside the
 * {@code http} step's call, divided by the number of step attempts (14: ten steps, five of them
 * foreach iterations). This is interpretation, JSONata, templating and checkpointing to memory.
 */
final class EngineOverhead {
    /** Median and 90th percentile microseconds per step, over {@code runs} runs. */
    record Figures(double medianMicrosPerStep, double p90MicrosPerStep, int attemptsPerRun, int runs) {}

    private EngineOverhead() {}

    static Figures measure(String sinkUrl, int warmup, int runs) {
        InMemoryRunStore store = new InMemoryRunStore();
        InMemoryFlowRepository flows = new InMemoryFlowRepository();
        Clock clock = Clock.systemUTC();
        RunServices services = new RunServices(
                store,
                store,
                clock,
                Sleeper.REAL,
                HttpCaller.standard(),
                Map.of(),
                ExpressionLimits.DEFAULT,
                () -> 0.5);
        String yaml = Workloads.w3(sinkUrl);
        flows.save(
                new FlowRepository.NewVersion(
                        "default",
                        "bench-w3",
                        "W3",
                        yaml,
                        SourceFormat.YAML,
                        "webhook",
                        "POST",
                        "bench-w3",
                        clock.instant()),
                0);
        double[] perStep = new double[runs];
        int attempts = 0;
        try (FlowEngine engine = new FlowEngine(
                flows, services, IdGenerator.timeOrdered(clock), EngineSettings.defaults("bench-engine"))) {
            for (int i = 0; i < warmup + runs; i++) {
                Map<String, Object> event = Map.of(
                        "body",
                        Json.read(Orders.json("E-" + i)),
                        "headers",
                        Map.of(),
                        "query",
                        Map.of(),
                        "method",
                        "POST",
                        "path",
                        "bench-w3");
                long t0 = System.nanoTime();
                Run run = engine.start(
                                "default", "bench-w3", 1, new FlowEngine.TriggerEvent("webhook", event, "E-" + i))
                        .finished()
                        .join();
                long wall = System.nanoTime() - t0;
                if (run.status() != RunStatus.SUCCEEDED) {
                    throw new IllegalStateException("W3 run failed in-process: " + run.error());
                }
                if (i >= warmup) {
                    List<StepAttempt> steps = store.attempts("default", run.id());
                    long io = steps.stream()
                            .filter(a -> a.stepType().equals("http"))
                            .mapToLong(a ->
                                    Duration.between(a.startedAt(), a.endedAt()).toNanos())
                            .sum();
                    attempts = steps.size();
                    perStep[i - warmup] = (wall - io) / 1000.0 / steps.size();
                }
            }
        }
        Arrays.sort(perStep);
        return new Figures(perStep[runs / 2], perStep[(int) (runs * 0.9)], attempts, runs);
    }
}
