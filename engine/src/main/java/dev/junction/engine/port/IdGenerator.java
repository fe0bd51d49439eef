package dev.junction.engine.port;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Makes ids. The default ids sort by creation time: 12 hex digits of epoch milliseconds, 6 hex
 * digits of a per-generator sequence, then 14 random hex digits. Within one generator ids are
 * strictly increasing even when the clock stands still or steps back, so "by id" is "in order of
 * arrival" on a node (the work queue relies on it); across nodes ties fall back to random order.
 */
@FunctionalInterface
public interface IdGenerator {
    String newId();

    static IdGenerator timeOrdered(Clock clock) {
        SecureRandom random = new SecureRandom();
        HexFormat hex = HexFormat.of();
        long[] last = {Long.MIN_VALUE, 0}; // millis, sequence
        return () -> {
            long millis;
            long seq;
            synchronized (last) {
                long now = clock.millis();
                if (now > last[0]) {
                    last[0] = now;
                    last[1] = 0;
                } else if (++last[1] > 0xffffff) {
                    last[0]++; // borrow from the next millisecond rather than repeat a sequence
                    last[1] = 0;
                }
                millis = last[0];
                seq = last[1];
            }
            byte[] tail = new byte[7];
            random.nextBytes(tail);
            return hex.toHexDigits(millis).substring(4)
                    + hex.toHexDigits((int) seq).substring(2)
                    + hex.formatHex(tail);
        };
    }
}
