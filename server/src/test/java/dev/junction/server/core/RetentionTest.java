package dev.junction.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.exec.EngineSettings;
import dev.junction.engine.port.IdGenerator;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.StepAttempt;
import dev.junction.store.Database;
import dev.junction.store.JdbcWorkQueue;
import dev.junction.store.JdbcWorkspaces;
import dev.junction.testkit.FakeClock;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steady load for a month of simulated days with a two-day retention policy, on SQLite: the
 * database file grows for the first days and then stays level, because pruned pages are reused.
 */
class RetentionTest {
    private static final int RUNS_PER_DAY = 150;
    private static final String PAYLOAD = "x".repeat(1000);

    @Test
    void theDatabaseStopsGrowingUnderSteadyLoad(@TempDir Path dir) throws Exception {
        try (Database db = Database.sqlite(dir)) {
            JdbcWorkQueue runs = new JdbcWorkQueue(db);
            JdbcWorkspaces workspaces = new JdbcWorkspaces(db);
            workspaces.setRetentionDays("default", 2);
            Retention retention = new Retention(runs, workspaces, EngineSettings.defaults("retention-test"));
            FakeClock clock = FakeClock.at("2026-01-01T00:00:00Z");
            IdGenerator ids = IdGenerator.timeOrdered(clock);
            List<Long> pages = new ArrayList<>();
            int pruned = 0;
            for (int day = 0; day < 24; day++) {
                load(runs, ids, clock.instant());
                clock.advance(Duration.ofDays(1));
                pruned += retention.runIfDue(clock.instant());
                pages.add(db.read(c -> {
                    try (ResultSet rs = c.createStatement().executeQuery("PRAGMA page_count")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
            }
            assertThat(pruned).isGreaterThan(RUNS_PER_DAY * 18);
            long early = pages.get(1);
            long settled = pages.get(7);
            assertThat(settled).as("grew while history filled up: %s", pages).isGreaterThan(early);
            assertThat(pages.subList(8, pages.size()))
                    .as("pages per day: %s", pages)
                    .allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(settled + settled / 10));
        }
    }

    /** A day's runs: each stored, two checkpoints with a 1 KB payload, finished. */
    private static void load(JdbcWorkQueue runs, IdGenerator ids, Instant day) throws Exception {
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < RUNS_PER_DAY; i++) {
                workers.execute(() -> {
                    Run run = Run.queued(
                            "default", ids.newId(), "steady", 1, "webhook", Map.of("body", PAYLOAD), null, day, null);
                    runs.admit(new WorkQueue.Admit(run, 0, List.of(), null, "n1", day.plusSeconds(30)));
                    for (int seq = 1; seq <= 2; seq++) {
                        runs.checkpoint(
                                new StepAttempt(
                                        "default",
                                        run.id(),
                                        seq,
                                        "s" + seq,
                                        "s" + seq,
                                        "map",
                                        1,
                                        AttemptStatus.SUCCEEDED,
                                        Map.of("in", PAYLOAD),
                                        PAYLOAD,
                                        null,
                                        day,
                                        day,
                                        null),
                                "n1");
                    }
                    runs.save(run.started(day).succeeded(PAYLOAD, day.plusSeconds(1)), "n1");
                });
            }
        }
    }
}
