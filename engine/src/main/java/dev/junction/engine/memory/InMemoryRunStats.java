package dev.junction.engine.memory;

import dev.junction.engine.port.RunStats;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The dashboard's figures over an {@link InMemoryRunStore}, computed from snapshots of its runs and
 * attempts with the same rules as the SQL of the JDBC stores. Thread-safe.
 */
public final class InMemoryRunStats implements RunStats {
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final InMemoryRunStore store;

    public InMemoryRunStats(InMemoryRunStore store) {
        this.store = store;
    }

    @Override
    public List<Hour> hourly(String workspaceId, Instant since, Instant until) {
        Map<Long, List<Run>> byHour = store.runsOf(workspaceId).stream()
                .filter(r -> !r.createdAt().isBefore(since) && r.createdAt().isBefore(until))
                .collect(Collectors.groupingBy(
                        r -> r.createdAt().toEpochMilli() / HOUR, TreeMap::new, Collectors.toList()));
        List<Hour> hours = new ArrayList<>();
        byHour.forEach((hour, runs) -> {
            long[] sample = runs.stream()
                    .filter(InMemoryRunStats::finished)
                    .sorted(Comparator.comparing(Run::id).reversed())
                    .limit(SAMPLE)
                    .mapToLong(r -> Duration.between(r.startedAt(), r.endedAt()).toMillis())
                    .toArray();
            hours.add(new Hour(
                    Instant.ofEpochMilli(hour * HOUR),
                    runs.size(),
                    runs.stream().filter(r -> r.status() == RunStatus.SUCCEEDED).count(),
                    runs.stream().filter(r -> r.status() == RunStatus.FAILED).count(),
                    RunStats.percentile(sample.clone(), 50),
                    RunStats.percentile(sample, 95)));
        });
        return hours;
    }

    private static boolean finished(Run r) {
        return (r.status() == RunStatus.SUCCEEDED || r.status() == RunStatus.FAILED)
                && r.startedAt() != null
                && r.endedAt() != null;
    }

    private record Group(String code, String flowId) {}

    @Override
    public List<ErrorCount> topErrors(String workspaceId, Instant since, int limit) {
        Map<Group, List<Run>> groups = store.runsOf(workspaceId).stream()
                .filter(r -> r.status() == RunStatus.FAILED && !r.createdAt().isBefore(since))
                .collect(Collectors.groupingBy(
                        r -> new Group(r.error() == null ? null : r.error().code(), r.flowId())));
        return groups.entrySet().stream()
                .map(e -> new ErrorCount(
                        e.getKey().code(),
                        e.getKey().flowId(),
                        e.getValue().stream()
                                .map(r -> r.error() == null ? null : r.error().message())
                                .filter(Objects::nonNull)
                                .max(Comparator.naturalOrder())
                                .orElse(null),
                        e.getValue().size(),
                        e.getValue().stream()
                                .map(Run::createdAt)
                                .max(Comparator.naturalOrder())
                                .orElseThrow()))
                .sorted(Comparator.comparingLong(ErrorCount::count)
                        .reversed()
                        .thenComparing(ErrorCount::last, Comparator.reverseOrder())
                        .thenComparing(ErrorCount::flowId))
                .limit(limit)
                .toList();
    }

    @Override
    public List<ConnectionActivity> connections(
            String workspaceId, List<String> connectionIds, Instant since, Instant today) {
        List<StepAttempt> all = store.attemptsOf(workspaceId).stream()
                .filter(a -> a.connectionId() != null && a.status() != AttemptStatus.SKIPPED)
                .toList();
        List<ConnectionActivity> out = new ArrayList<>();
        for (String id : connectionIds) {
            List<StepAttempt> mine =
                    all.stream().filter(a -> a.connectionId().equals(id)).toList();
            List<StepAttempt> window =
                    mine.stream().filter(a -> !a.startedAt().isBefore(since)).toList();
            long[] sample = window.stream()
                    .sorted(Comparator.comparing(StepAttempt::startedAt).reversed())
                    .limit(SAMPLE)
                    .mapToLong(a -> Duration.between(a.startedAt(), a.endedAt()).toMillis())
                    .toArray();
            out.add(new ConnectionActivity(
                    id,
                    mine.stream()
                            .map(StepAttempt::startedAt)
                            .max(Comparator.naturalOrder())
                            .orElse(null),
                    window.size(),
                    window.stream()
                            .filter(a -> a.status() == AttemptStatus.SUCCEEDED)
                            .count(),
                    window.stream()
                            .filter(a -> a.status() == AttemptStatus.SUCCEEDED
                                    && !a.startedAt().isBefore(today))
                            .count(),
                    RunStats.percentile(sample, 95)));
        }
        return out;
    }
}
