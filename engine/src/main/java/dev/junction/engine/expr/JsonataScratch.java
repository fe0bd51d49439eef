package dev.junction.engine.expr;

import com.dashjoin.jsonata.Jsonata;
import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lends jsonata-java's per-thread scratch instance from a pool. The library evaluates on an
 * instance it keeps in a thread-local ({@code Jsonata.current}) and makes one, with a new
 * {@code Parser} and its symbol table, the first time a thread evaluates anything. Every run
 * executes on a new virtual thread, so without this every evaluation paid for that (a third of
 * JSONata's time in the benchmark). The scratch instance holds only the evaluation's input and
 * environment while it runs, and the library already shares it between all expressions of a
 * thread; lending it to one thread at a time keeps that contract. When the field cannot be
 * reached (another library version), evaluation falls back to the library's own behaviour.
 */
final class JsonataScratch {
    private static final int POOL_LIMIT = 256;
    private static final ThreadLocal<Jsonata> CURRENT = current();
    private static final ConcurrentLinkedQueue<Jsonata> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private JsonataScratch() {}

    @SuppressWarnings("unchecked")
    private static ThreadLocal<Jsonata> current() {
        try {
            Field f = Jsonata.class.getDeclaredField("current");
            f.setAccessible(true);
            return f.get(null) instanceof ThreadLocal<?> local ? (ThreadLocal<Jsonata>) local : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether lending works with this version of the library. */
    static boolean active() {
        return CURRENT != null;
    }

    /**
     * Gives the calling thread a scratch instance unless it has one (a nested evaluation, or a
     * platform thread that kept its own); returns what {@link #giveBack} must receive, or null.
     */
    static Jsonata lend() {
        if (CURRENT == null || CURRENT.get() != null) {
            return null;
        }
        Jsonata scratch = POOL.poll();
        if (scratch == null) {
            scratch = Jsonata.jsonata("$");
        } else {
            POOLED.decrementAndGet();
        }
        CURRENT.set(scratch);
        return scratch;
    }

    /** Takes the instance from {@link #lend} back from the calling thread; null is ignored. */
    static void giveBack(Jsonata scratch) {
        if (scratch == null) {
            return;
        }
        CURRENT.remove();
        if (POOLED.incrementAndGet() <= POOL_LIMIT) {
            POOL.offer(scratch);
        } else {
            POOLED.decrementAndGet();
        }
    }
}
