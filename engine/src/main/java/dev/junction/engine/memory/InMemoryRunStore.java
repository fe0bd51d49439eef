package dev.junction.engine.memory;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.StepAttempt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link RunStore} in memory, for tests and embedding. Thread-safe (one lock). */
public final class InMemoryRunStore implements RunStore {
    private final Map<String, Run> runs = new TreeMap<>();
    private final Map<String, List<StepAttempt>> attempts = new TreeMap<>();

    private static String key(String workspaceId, String runId) {
        return workspaceId + "\u0000" + runId;
    }

    @Override
    public synchronized Creation create(Run run) {
        if (run.idempotencyKey() != null) {
            for (Run existing : runs.values()) {
                if (existing.workspaceId().equals(run.workspaceId())
                        && existing.flowId().equals(run.flowId())
                        && run.idempotencyKey().equals(existing.idempotencyKey())) {
                    return new Creation(existing, false);
                }
            }
        }
        runs.put(key(run.workspaceId(), run.id()), run);
        return new Creation(run, true);
    }

    @Override
    public synchronized void update(Run run) {
        runs.put(key(run.workspaceId(), run.id()), run);
    }

    @Override
    public synchronized Optional<Run> find(String workspaceId, String runId) {
        return Optional.ofNullable(runs.get(key(workspaceId, runId)));
    }

    @Override
    public synchronized Page<Run> list(String workspaceId, RunQuery q) {
        List<Run> matching = runs.values().stream()
                .filter(r -> r.workspaceId().equals(workspaceId))
                .filter(r -> q.flowId() == null || q.flowId().equals(r.flowId()))
                .filter(r -> q.status() == null || q.status() == r.status())
                .filter(r -> q.since() == null || !r.createdAt().isBefore(q.since()))
                .filter(r -> q.until() == null || r.createdAt().isBefore(q.until()))
                .filter(r -> q.cursor() == null || r.id().compareTo(q.cursor()) < 0)
                .sorted(Comparator.comparing(Run::id).reversed())
                .limit(q.limit() + 1L)
                .toList();
        if (matching.size() <= q.limit()) {
            return new Page<>(matching, null);
        }
        List<Run> page = matching.subList(0, q.limit());
        return new Page<>(page, page.getLast().id());
    }

    @Override
    public synchronized void record(StepAttempt attempt) {
        attempts.computeIfAbsent(key(attempt.workspaceId(), attempt.runId()), k -> new ArrayList<>())
                .add(attempt);
    }

    @Override
    public synchronized List<StepAttempt> attempts(String workspaceId, String runId) {
        List<StepAttempt> list = new ArrayList<>(attempts.getOrDefault(key(workspaceId, runId), List.of()));
        list.sort(Comparator.comparingInt(StepAttempt::seq));
        return list;
    }

    @Override
    public synchronized List<Run> unfinished() {
        return runs.values().stream()
                .filter(r -> !r.status().finished())
                .sorted(Comparator.comparing(Run::id))
                .toList();
    }
}
