package dev.junction.engine.exec;

import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.StepAttempt;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run continues from: the outputs of its checkpointed steps by path ({@code memo}), how
 * many attempts of each unfinished step failed and with what last error, its pending timers, and
 * the last attempt sequence number.
 */
record Resume(
        Map<String, Object> memo,
        Map<String, Integer> failures,
        Map<String, RunError> lastErrors,
        Map<String, Instant> timers,
        int lastSeq) {
    static final Resume FRESH = new Resume(Map.of(), Map.of(), Map.of(), Map.of(), 0);

    static Resume of(List<StepAttempt> attempts, Map<String, Instant> timers) {
        Map<String, Object> memo = new HashMap<>();
        Map<String, Integer> failures = new HashMap<>();
        Map<String, RunError> lastErrors = new HashMap<>();
        int lastSeq = 0;
        for (StepAttempt a : attempts) {
            lastSeq = Math.max(lastSeq, a.seq());
            if (a.status() == AttemptStatus.SUCCEEDED) {
                memo.put(a.path(), a.output());
            } else if (a.status() == AttemptStatus.FAILED) {
                failures.merge(a.path(), 1, Integer::sum);
                lastErrors.put(a.path(), a.error());
            }
        }
        memo.keySet().forEach(failures::remove);
        return new Resume(
                java.util.Collections.unmodifiableMap(memo),
                Map.copyOf(failures),
                Map.copyOf(lastErrors),
                Map.copyOf(timers),
                lastSeq);
    }
}
