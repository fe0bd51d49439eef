package dev.junction.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, in log-linear buckets (64 sub-buckets per power of two: better than
 * 2 % resolution) from 1 µs to about 1 hour. Thread-safe, allocation-free on record.
 */
final class Histogram {
    private static final int SUB = 64;
    private static final int POWERS = 33;
    private final AtomicLongArray counts = new AtomicLongArray(SUB * POWERS);

    void record(long micros) {
        counts.incrementAndGet(index(Math.max(1, micros)));
    }

    private static int index(long v) {
        int power = 63 - Long.numberOfLeadingZeros(v); // floor(log2 v)
        if (power < 6) {
            return (int) v; // exact below 64
        }
        int sub = (int) ((v >> (power - 6)) & (SUB - 1));
        return Math.min((power - 5) * SUB + sub, SUB * POWERS - 1);
    }

    private static long lowerBound(int index) {
        if (index < SUB) {
            return index;
        }
        int power = index / SUB + 5;
        int sub = index % SUB;
        return ((long) (SUB + sub)) << (power - 6);
    }

    long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The latency (µs) at quantile {@code q} (0..1); 0 when empty. */
    long quantile(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return lowerBound(i);
            }
        }
        return lowerBound(counts.length() - 1);
    }
}
