package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.store.audit.AuditRecord;
import dev.junction.store.audit.JdbcAuditLog;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The audit log's hash chain on SQLite and PostgreSQL: appends, lists, and finds tampering. */
class JdbcAuditLogTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static Stream<Database> backends() throws Exception {
        return Stream.of(Backends.sqlite(), Backends.postgres());
    }

    private static String workspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static AuditRecord.Entry entry(String ws, int n) {
        return new AuditRecord.Entry(
                ws,
                T0.plusSeconds(n),
                "key:admin",
                "PUT /api/v1/flows/{id}",
                "/api/v1/flows/f" + n,
                200,
                "sha256:a" + n,
                "sha256:b" + n);
    }

    private static void sql(Database db, String sql, String ws, long seq) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, ws);
                ps.setLong(2, seq);
                return ps.executeUpdate();
            }
        });
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("backends")
    void appendsAChainAndListsItNewestFirst(Database db) {
        JdbcAuditLog log = new JdbcAuditLog(db);
        String ws = workspace();
        for (int n = 1; n <= 5; n++) {
            assertThat(log.append(entry(ws, n)).seq()).isEqualTo(n);
        }
        JdbcAuditLog.Page first = log.list(ws, new JdbcAuditLog.Query(null, null, null, null, null, null, 2));
        assertThat(first.items()).extracting(AuditRecord::seq).containsExactly(5L, 4L);
        JdbcAuditLog.Page second =
                log.list(ws, new JdbcAuditLog.Query(null, null, null, null, null, first.nextCursor(), 10));
        assertThat(second.items()).extracting(AuditRecord::seq).containsExactly(3L, 2L, 1L);
        assertThat(second.nextCursor()).isNull();
        assertThat(log.list(ws, new JdbcAuditLog.Query(null, null, "/api/v1/flows/f3", null, null, null, 10))
                        .items())
                .extracting(AuditRecord::seq)
                .containsExactly(3L);
        assertThat(log.list("other-" + ws, new JdbcAuditLog.Query(null, null, null, null, null, null, 10))
                        .items())
                .isEmpty();
        JdbcAuditLog.Verification ok = log.verify(ws);
        assertThat(ok.checked()).isEqualTo(5);
        assertThat(ok.firstBreak()).isEmpty();
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("backends")
    void verifyReportsAChangedRowAndADeletedOne(Database db) {
        JdbcAuditLog log = new JdbcAuditLog(db);
        String changed = workspace();
        String deleted = workspace();
        for (int n = 1; n <= 4; n++) {
            log.append(entry(changed, n));
            log.append(entry(deleted, n));
        }
        sql(db, "UPDATE audit_log SET actor = 'key:someone-else' WHERE workspace_id = ? AND seq = ?", changed, 3);
        assertThat(log.verify(changed).firstBreak()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(3);
            assertThat(b.reason()).contains("record 3 was changed");
        });
        assertThat(log.verify(changed).checked()).isEqualTo(2);
        sql(db, "DELETE FROM audit_log WHERE workspace_id = ? AND seq = ?", deleted, 2);
        assertThat(log.verify(deleted).firstBreak()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(2);
            assertThat(b.reason()).contains("record 2 is missing");
        });
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("backends")
    void concurrentAppendsKeepOneUnbrokenChain(Database db) throws Exception {
        JdbcAuditLog log = new JdbcAuditLog(db);
        String ws = workspace();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                for (int n = 0; n < 25; n++) {
                    log.append(entry(ws, n));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        JdbcAuditLog.Verification v = log.verify(ws);
        assertThat(v.firstBreak()).isEmpty();
        assertThat(v.checked()).isEqualTo(200);
    }
}
