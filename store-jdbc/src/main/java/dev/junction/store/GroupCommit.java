package dev.junction.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
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
 * transaction, and commits once: many writes share one fsync. A piece that fails is rolled back to
 * its savepoint alone and its caller gets the error; the others commit. Nobody's call returns
 * before the commit that contains their work is durable: power-safe when any piece of the batch
 * asks for it ({@link Durability}). Statements are kept from one batch to the next ({@link
 * StatementCache}).
 */
final class GroupCommit implements AutoCloseable {
    static final int MAX_BATCH = 512;

    private record Task<T>(Database.Work<T> work, boolean powerSafe, CompletableFuture<T> done) {}

    private final DataSource dataSource;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final StatementCache statements = new StatementCache(); // the writer thread's alone
    private volatile boolean closed;
    private boolean fullSync = true; // the connection opens with synchronous=FULL

    GroupCommit(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread =
                Thread.ofPlatform().daemon().name("junction-sqlite-writer").start(this::loop);
    }

    <T> T submit(Database.Work<T> work, boolean powerSafe) throws SQLException {
        if (closed) {
            throw new SQLException("the database is closed");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Task<>(work, powerSafe, done));
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
            left.done().completeExceptionally(new SQLException("the database is closed"));
        }
    }

    private void commit(List<Task<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        List<Throwable> errors = new ArrayList<>(batch.size());
        try (Connection pooled = dataSource.getConnection()) {
            Connection c = statements.view(pooled);
            sync(c, batch.stream().anyMatch(Task::powerSafe));
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
                task.done().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i), errors.get(i));
        }
    }

    /**
     * {@code synchronous=FULL} (fsync at commit) when the batch holds a power-safe write, else
     * {@code NORMAL} (in the WAL, fsynced by the next FULL commit or checkpoint). Only this thread
     * writes, so the connection's mode is known.
     */
    private void sync(Connection c, boolean full) throws SQLException {
        if (full != fullSync) {
            try (Statement st = c.createStatement()) {
                st.execute(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            }
            fullSync = full;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result, Throwable error) {
        if (error != null) {
            task.done().completeExceptionally(error);
        } else {
            task.done().complete((T) result);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
