package dev.junction.connector.kafka;

import java.util.TreeSet;

/**
 * The acknowledgement state of one assigned partition: which offsets were handed to the platform
 * and are not yet acknowledged. The offset that may be committed is the lowest unacknowledged one
 * (or, when every offset handed out is acknowledged, the one after the highest), so a commit never
 * moves past a message whose run is not yet durable, whatever the order of acknowledgements. Not
 * thread-safe: used by the consumer's thread only.
 */
final class PartitionAcks {
    private final TreeSet<Long> open = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    /** {@code offset} was handed to the platform. */
    void handedOut(long offset) {
        if (next < 0) {
            committed = offset; // the group's position is at most this: nothing to commit yet
        }
        open.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** The run of {@code offset} is durable (or it was rejected as poison). */
    void acknowledged(long offset) {
        open.remove(offset);
    }

    /** The offset to commit, or -1 when it would not move the group's position forward. */
    long committable() {
        if (next < 0) {
            return -1;
        }
        long position = open.isEmpty() ? next : open.first();
        return position > committed ? position : -1;
    }

    void committed(long position) {
        committed = Math.max(committed, position);
    }

    /** Offsets handed out and not yet acknowledged. */
    int pending() {
        return open.size();
    }
}
