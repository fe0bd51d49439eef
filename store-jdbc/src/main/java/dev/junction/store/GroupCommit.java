package dev.junction.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * The single SQLite writer. Callers hand it their work and block; the writer thread takes all work
 * waiting at that moment (up to {@link #MAX_BATCH}), runs each piece under its own savepoint in one
 * transaction, and commits once with {@code synchronous=NORMAL}: the commit is in the write-ahead
 * log, which survives the process dying. A piece that fails is rolled back to its savepoint alone
 * and its caller gets the error; the others commit. A crash-safe caller is answered right after
 * the commit. A power-safe caller ({@link Durability}) is answered by a second thread after it has
 * synced the log ({@link WalSync}), a sync begun after that commit; the writer meanwhile commits the
 * next batch, and one sync covers every commit before it (the log is one sequential file).
 * Statements are kept from one batch to the next ({@link StatementCache}).
 */
final class GroupCommit implements AutoCloseable {
    static final int MAX_BATCH = 512;

    /**
     * A piece of work; {@code done} completes after its commit, or, for a power-safe piece without
     * {@code synced}, after the sync of the log that covers it; {@code synced}, when given,
     * completes after that sync.
     */
    private record Task<T>(
            Database.Work<T> work, boolean powerSafe, CompletableFuture<T> done, CompletableFuture<Void> synced) {}

    /** A power-safe piece, committed, whose caller waits for the log to be synced. */
    private record Committed(Task<?> task, Object result) {}

    private static final Committed STOP = new Committed(null, null);

    private final DataSource dataSource;
    private final WalSync wal;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final BlockingQueue<Committed> unsynced = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Thread syncer;
    private final StatementCache statements = new StatementCache(); // the writer thread's alone
    private volatile boolean closed;

    /** {@code dataSource}'s connections must commit with {@code synchronous=NORMAL} in WAL mode. */
    GroupCommit(DataSource dataSource, WalSync wal) {
        this.dataSource = dataSource;
        this.wal = wal;
        this.thread =
                Thread.ofPlatform().daemon().name("junction-sqlite-writer").start(this::loop);
        this.syncer = Thread.ofPlatform().daemon().name("junction-sqlite-sync").start(this::syncLoop);
    }

    <T> T submit(Database.Work<T> work, boolean powerSafe) throws SQLException {
        return await(enqueue(work, powerSafe, null));
    }

    /**
     * Runs power-safe work and returns at its commit; {@code synced} completes once the log holding
     * it is on disk, or fails (with an {@link SQLException}) if it cannot be synced.
     */
    <T> T submitCommitted(Database.Work<T> work, CompletableFuture<Void> synced) throws SQLException {
        return await(enqueue(work, true, synced));
    }

    private <T> CompletableFuture<T> enqueue(Database.Work<T> work, boolean powerSafe, CompletableFuture<Void> synced)
            throws SQLException {
        if (closed) {
            throw new SQLException("the database is closed");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Task<>(work, powerSafe, done, synced));
        return done;
    }

    private static <T> T await(CompletableFuture<T> done) throws SQLException {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the commit", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case SQLException s -> throw s;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new SQLException(e.getCause());
            }
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Task<?> first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } finally {
                batch.clear();
            }
        }
        statements.close();
        Task<?> left;
        while ((left = queue.poll()) != null) {
            complete(left, null, new SQLException("the database is closed"));
        }
    }

    private void commit(List<Task<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        List<Throwable> errors = new ArrayList<>(batch.size());
        try (Connection pooled = dataSource.getConnection()) {
            Connection c = statements.view(pooled);
            c.setAutoCommit(false);
            try {
                boolean single = batch.size() == 1;
                for (Task<?> task : batch) {
                    Savepoint sp = single ? null : c.setSavepoint();
                    try {
                        results.add(task.work().apply(c));
                        errors.add(null);
                        if (sp != null) {
                            c.releaseSavepoint(sp);
                        }
                    } catch (SQLException | RuntimeException e) {
                        if (sp != null) {
                            c.rollback(sp);
                        } else {
                            c.rollback();
                        }
                        results.add(null);
                        errors.add(e);
                    }
                }
                statements.release(); // what a failed piece left open
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c, e);
                try {
                    statements.release();
                } catch (SQLException | RuntimeException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            for (Task<?> task : batch) {
                complete(task, null, e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Task<?> task = batch.get(i);
            if (task.powerSafe() && errors.get(i) == null) {
                unsynced.add(new Committed(task, results.get(i)));
                if (task.synced() != null) {
                    complete(task, results.get(i), null); // its caller goes on; synced follows
                }
            } else {
                complete(task, results.get(i), errors.get(i));
            }
        }
    }

    /**
     * Syncs the log for everyone committed so far, answers them, and again; ends after {@link
     * #STOP}, which {@link #close} queues once the writer has ended.
     */
    private void syncLoop() {
        List<Committed> waiting = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                waiting.add(unsynced.take());
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; callers wait on it
            }
            unsynced.drainTo(waiting);
            stop = waiting.remove(STOP);
            IOException failed = null;
            try {
                wal.sync();
            } catch (IOException e) {
                failed = e;
            }
            SQLException error = failed == null
                    ? null
                    : new SQLException(
                            "the write was committed but the write-ahead log could not be synced to disk: "
                                    + failed.getMessage(),
                            failed);
            for (Committed c : waiting) {
                CompletableFuture<Void> synced = c.task().synced();
                if (synced == null) {
                    complete(c.task(), c.result(), error);
                } else if (error == null) {
                    synced.complete(null);
                } else {
                    synced.completeExceptionally(error);
                }
            }
            waiting.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result, Throwable error) {
        if (error != null) {
            task.done().completeExceptionally(error);
            if (task.synced() != null) {
                task.synced().completeExceptionally(error);
            }
        } else {
            task.done().complete((T) result);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
            unsynced.add(STOP);
            syncer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
