package dev.junction.store.audit;

import dev.junction.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log on SQLite or PostgreSQL: appends records to a workspace's hash chain (serialised per
 * workspace: SQLite's single writer, a transaction advisory lock on PostgreSQL), lists them newest
 * first, and verifies a chain. Thread-safe.
 */
public final class JdbcAuditLog {
    private static final String COLUMNS =
            "workspace_id, seq, at, actor, action, target, status, before_digest, after_digest, prev_hash, hash";
    private static final int VERIFY_BATCH = 1000;

    private final Database db;

    public JdbcAuditLog(Database db) {
        this.db = db;
    }

    /** Filters for {@link #list}; null fields do not filter. {@code before} is a cursor (a seq). */
    public record Query(
            String actor, String action, String target, Instant since, Instant until, Long before, int limit) {}

    /** A page of records, newest first, and the cursor of the next page (null at the end). */
    public record Page(List<AuditRecord> items, Long nextCursor) {}

    /** The outcome of {@link #verify}: how many records were checked and the first break, if any. */
    public record Verification(long checked, Optional<AuditChain.Break> firstBreak) {}

    public AuditRecord append(AuditRecord.Entry e) {
        return db.write(c -> {
            if (!db.isSqlite()) {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "audit:" + e.workspaceId());
                    lock.execute();
                }
            }
            long seq = 1;
            String previous = AuditChain.GENESIS;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, hash FROM audit_log WHERE workspace_id = ? ORDER BY seq DESC LIMIT 1")) {
                ps.setString(1, e.workspaceId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        seq = rs.getLong(1) + 1;
                        previous = rs.getString(2);
                    }
                }
            }
            AuditRecord r = new AuditRecord(
                    e.workspaceId(),
                    seq,
                    e.at(),
                    e.actor(),
                    e.action(),
                    e.target(),
                    e.status(),
                    e.beforeDigest(),
                    e.afterDigest(),
                    previous,
                    AuditChain.hash(previous, seq, e));
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, r.workspaceId());
                ps.setLong(2, r.seq());
                ps.setLong(3, r.at().toEpochMilli());
                ps.setString(4, r.actor());
                ps.setString(5, r.action());
                ps.setString(6, r.target());
                ps.setInt(7, r.status());
                ps.setString(8, r.beforeDigest());
                ps.setString(9, r.afterDigest());
                ps.setString(10, r.previousHash());
                ps.setString(11, r.hash());
                ps.executeUpdate();
            }
            return r;
        });
    }

    public Page list(String workspaceId, Query q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (q.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(q.actor());
        }
        if (q.action() != null) {
            sql.append(" AND action LIKE ?");
            args.add("%" + q.action().replace("%", "") + "%");
        }
        if (q.target() != null) {
            sql.append(" AND target LIKE ?");
            args.add(q.target().replace("%", "") + "%");
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            args.add(q.until().toEpochMilli());
        }
        if (q.before() != null) {
            sql.append(" AND seq < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(q.limit() + 1);
        return db.read(c -> {
            List<AuditRecord> items = query(c, sql.toString(), args);
            Long next = null;
            if (items.size() > q.limit()) {
                items = items.subList(0, q.limit());
                next = items.getLast().seq();
            }
            return new Page(List.copyOf(items), next);
        });
    }

    /** Walks the workspace's chain from its first record; stops at the first break. */
    public Verification verify(String workspaceId) {
        return db.read(c -> {
            long expected = 1;
            String previous = AuditChain.GENESIS;
            long checked = 0;
            while (true) {
                List<AuditRecord> batch = query(
                        c,
                        "SELECT " + COLUMNS
                                + " FROM audit_log WHERE workspace_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
                        List.of(workspaceId, expected, VERIFY_BATCH));
                for (AuditRecord r : batch) {
                    Optional<AuditChain.Break> broken = AuditChain.check(r, expected, previous);
                    if (broken.isPresent()) {
                        return new Verification(checked, broken);
                    }
                    checked++;
                    expected = r.seq() + 1;
                    previous = r.hash();
                }
                if (batch.size() < VERIFY_BATCH) {
                    return new Verification(checked, Optional.empty());
                }
            }
        });
    }

    private static List<AuditRecord> query(Connection c, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof Long n) {
                    ps.setLong(i + 1, n);
                } else if (a instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, String.valueOf(a));
                }
            }
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditRecord(
                            rs.getString(1),
                            rs.getLong(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getInt(7),
                            rs.getString(8),
                            rs.getString(9),
                            rs.getString(10),
                            rs.getString(11)));
                }
            }
            return out;
        }
    }
}
