package dev.junction.engine.memory;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Runs and their work queue in memory, for tests and embedding. Thread-safe (one lock). */
public final class InMemoryRunStore implements RunStore, WorkQueue {
    private final Map<String, Entry> runs = new TreeMap<>();
    private final Map<String, List<StepAttempt>> attempts = new HashMap<>();
    private final Map<String, Map<String, Instant>> timers = new HashMap<>();
    private final Map<String, Duty> duties = new HashMap<>();

    /** A run and its scheduling state. */
    private static final class Entry {
        Run run;
        int concurrencyLimit;
        Instant due;
        String owner;
        Instant leaseUntil;

        Entry(Run run, int concurrencyLimit, Instant due) {
            this.run = run;
            this.concurrencyLimit = concurrencyLimit;
            this.due = due;
        }

        boolean heldBy(String node) {
            return node.equals(owner) && !run.status().finished();
        }
    }

    private record Duty(String node, Instant until) {}

    private static String key(String workspaceId, String runId) {
        return workspaceId + "\u0000" + runId;
    }

    @Override
    public synchronized Admission admit(Admit a) {
        Run run = a.run();
        if (run.idempotencyKey() != null) {
            for (Entry e : runs.values()) {
                Run existing = e.run;
                if (existing.workspaceId().equals(run.workspaceId())
                        && existing.flowId().equals(run.flowId())
                        && run.idempotencyKey().equals(existing.idempotencyKey())) {
                    return new Admission(existing, false, false);
                }
            }
        }
        boolean startNow = a.node() != null && mayStart(run.workspaceId(), run.flowId(), a.concurrencyLimit());
        Run stored = startNow ? run.started(run.createdAt()) : run;
        Entry entry = new Entry(stored, a.concurrencyLimit(), startNow ? a.leaseUntil() : run.createdAt());
        if (startNow) {
            entry.owner = a.node();
            entry.leaseUntil = a.leaseUntil();
        }
        runs.put(key(run.workspaceId(), run.id()), entry);
        List<StepAttempt> copied = new ArrayList<>();
        for (StepAttempt c : a.checkpoints()) {
            copied.add(new StepAttempt(
                    run.workspaceId(),
                    run.id(),
                    c.seq(),
                    c.stepId(),
                    c.path(),
                    c.stepType(),
                    c.attempt(),
                    c.status(),
                    c.input(),
                    c.output(),
                    c.error(),
                    c.startedAt(),
                    c.endedAt(),
                    c.connectionId()));
        }
        attempts.put(key(run.workspaceId(), run.id()), copied);
        if (a.replayOf() != null) {
            Entry original = runs.get(key(run.workspaceId(), a.replayOf()));
            if (original != null) {
                Run o = original.run;
                original.run = new Run(
                        o.workspaceId(),
                        o.id(),
                        o.flowId(),
                        o.flowVersion(),
                        o.status(),
                        o.triggerType(),
                        o.trigger(),
                        o.idempotencyKey(),
                        o.output(),
                        o.error(),
                        o.createdAt(),
                        o.startedAt(),
                        o.endedAt(),
                        o.replayOf(),
                        run.id());
            }
        }
        return new Admission(stored, true, startNow);
    }

    private boolean mayStart(String workspaceId, String flowId, int limit) {
        if (limit <= 0) {
            return true;
        }
        int active = 0;
        for (Entry e : runs.values()) {
            if (e.run.workspaceId().equals(workspaceId) && e.run.flowId().equals(flowId)) {
                if (e.run.status() == RunStatus.QUEUED) {
                    return false;
                }
                if (e.run.status() == RunStatus.RUNNING || e.run.status() == RunStatus.WAITING) {
                    active++;
                }
            }
        }
        return active < limit;
    }

    private int active(String workspaceId, String flowId) {
        int active = 0;
        for (Entry e : runs.values()) {
            if (e.run.workspaceId().equals(workspaceId)
                    && e.run.flowId().equals(flowId)
                    && (e.run.status() == RunStatus.RUNNING || e.run.status() == RunStatus.WAITING)) {
                active++;
            }
        }
        return active;
    }

    @Override
    public synchronized List<Run> claim(String node, Instant now, Instant leaseUntil, int limit) {
        List<Entry> candidates = runs.values().stream()
                .filter(e -> !e.run.status().finished())
                .filter(e -> e.due != null && !e.due.isAfter(now))
                .sorted(Comparator.comparing((Entry e) -> e.due).thenComparing(e -> e.run.id()))
                .toList();
        List<Run> claimed = new ArrayList<>();
        for (Entry e : candidates) {
            if (claimed.size() >= limit) {
                break;
            }
            if (e.run.status() == RunStatus.QUEUED
                    && e.concurrencyLimit > 0
                    && active(e.run.workspaceId(), e.run.flowId()) >= e.concurrencyLimit) {
                continue;
            }
            if (e.run.status() != RunStatus.RUNNING) {
                e.run = e.run.started(now);
            }
            e.owner = node;
            e.leaseUntil = leaseUntil;
            e.due = leaseUntil;
            claimed.add(e.run);
        }
        return claimed;
    }

    @Override
    public synchronized Optional<Run> claimNext(
            String workspaceId, String flowId, String node, Instant now, Instant leaseUntil) {
        Optional<Entry> next = runs.values().stream()
                .filter(e -> e.run.workspaceId().equals(workspaceId)
                        && e.run.flowId().equals(flowId))
                .filter(e -> e.run.status() == RunStatus.QUEUED && e.due != null && !e.due.isAfter(now))
                .min(Comparator.comparing((Entry e) -> e.due).thenComparing(e -> e.run.id()));
        if (next.isEmpty()
                || (next.get().concurrencyLimit > 0 && active(workspaceId, flowId) >= next.get().concurrencyLimit)) {
            return Optional.empty();
        }
        Entry e = next.get();
        e.run = e.run.started(now);
        e.owner = node;
        e.leaseUntil = leaseUntil;
        e.due = leaseUntil;
        return Optional.of(e.run);
    }

    @Override
    public synchronized int renew(String node, Instant until) {
        int n = 0;
        for (Entry e : runs.values()) {
            if (e.heldBy(node)) {
                e.leaseUntil = until;
                e.due = until;
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized boolean checkpoint(StepAttempt attempt, String node) {
        Entry e = runs.get(key(attempt.workspaceId(), attempt.runId()));
        if (e == null || !e.heldBy(node)) {
            return false;
        }
        attempts.computeIfAbsent(key(attempt.workspaceId(), attempt.runId()), k -> new ArrayList<>())
                .add(attempt);
        return true;
    }

    @Override
    public synchronized boolean save(Run run, String node) {
        Entry e = runs.get(key(run.workspaceId(), run.id()));
        if (e == null || !e.heldBy(node)) {
            return false;
        }
        e.run = run;
        if (run.status().finished()) {
            e.owner = null;
            e.leaseUntil = null;
            e.due = null;
            timers.remove(key(run.workspaceId(), run.id()));
        }
        return true;
    }

    @Override
    public synchronized boolean finish(StepAttempt last, Run run, String node) {
        return checkpoint(last, node) && save(run, node);
    }

    @Override
    public synchronized boolean park(String workspaceId, String runId, String node, Instant due) {
        Entry e = runs.get(key(workspaceId, runId));
        if (e == null || !e.heldBy(node)) {
            return false;
        }
        e.run = e.run.withStatus(RunStatus.WAITING);
        e.owner = null;
        e.leaseUntil = null;
        e.due = due;
        return true;
    }

    @Override
    public synchronized void setTimer(String workspaceId, String runId, String key, Instant due) {
        timers.computeIfAbsent(key(workspaceId, runId), k -> new HashMap<>()).put(key, due);
    }

    @Override
    public synchronized Map<String, Instant> timers(String workspaceId, String runId) {
        return Map.copyOf(timers.getOrDefault(key(workspaceId, runId), Map.of()));
    }

    @Override
    public synchronized Optional<Run> cancel(String workspaceId, String runId, Instant at) {
        Entry e = runs.get(key(workspaceId, runId));
        if (e == null) {
            return Optional.empty();
        }
        if (!e.run.status().finished()) {
            e.run = e.run.cancelled(at);
            e.owner = null;
            e.leaseUntil = null;
            e.due = null;
            timers.remove(key(workspaceId, runId));
        }
        return Optional.of(e.run);
    }

    @Override
    public synchronized boolean holdDuty(String name, String node, Instant now, Instant until) {
        Duty d = duties.get(name);
        if (d != null && !d.node().equals(node) && !d.until().isBefore(now)) {
            return false;
        }
        duties.put(name, new Duty(node, until));
        return true;
    }

    @Override
    public synchronized int prune(String workspaceId, Instant before, int limit) {
        List<String> doomed = runs.entrySet().stream()
                .filter(x -> x.getValue().run.workspaceId().equals(workspaceId))
                .filter(x -> x.getValue().run.status().finished())
                .filter(x -> x.getValue().run.endedAt() != null
                        && x.getValue().run.endedAt().isBefore(before))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
        doomed.forEach(k -> {
            runs.remove(k);
            attempts.remove(k);
            timers.remove(k);
        });
        return doomed.size();
    }

    @Override
    public synchronized Optional<Run> find(String workspaceId, String runId) {
        return Optional.ofNullable(runs.get(key(workspaceId, runId))).map(e -> e.run);
    }

    @Override
    public synchronized Page<Run> list(String workspaceId, RunQuery q) {
        List<Run> matching = runs.values().stream()
                .map(e -> e.run)
                .filter(r -> r.workspaceId().equals(workspaceId))
                .filter(r -> q.flowId() == null || q.flowId().equals(r.flowId()))
                .filter(r -> q.status() == null || q.status() == r.status())
                .filter(r -> !q.deadLetters() || (r.status() == RunStatus.FAILED && r.replayedBy() == null))
                .filter(r -> q.errorCode() == null
                        || (r.error() != null && q.errorCode().equals(r.error().code())))
                .filter(r -> q.since() == null || !r.createdAt().isBefore(q.since()))
                .filter(r -> q.until() == null || r.createdAt().isBefore(q.until()))
                .filter(q::matchesText)
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

    /** A snapshot of the workspace's runs, for {@link InMemoryRunStats}. */
    synchronized List<Run> runsOf(String workspaceId) {
        return runs.values().stream()
                .map(e -> e.run)
                .filter(r -> r.workspaceId().equals(workspaceId))
                .toList();
    }

    /** A snapshot of the workspace's step attempts, for {@link InMemoryRunStats}. */
    synchronized List<StepAttempt> attemptsOf(String workspaceId) {
        return attempts.values().stream()
                .flatMap(List::stream)
                .filter(a -> a.workspaceId().equals(workspaceId))
                .toList();
    }

    @Override
    public synchronized List<StepAttempt> attempts(String workspaceId, String runId) {
        List<StepAttempt> list = new ArrayList<>(attempts.getOrDefault(key(workspaceId, runId), List.of()));
        list.sort(Comparator.comparingInt(StepAttempt::seq));
        return list;
    }
}
