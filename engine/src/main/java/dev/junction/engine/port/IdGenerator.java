package dev.junction.engine.port;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Makes ids. The default ids sort by creation time: 12 hex digits of epoch milliseconds followed by
 * 20 random hex digits, so listing by id is listing by age.
 */
@FunctionalInterface
public interface IdGenerator {
    String newId();

    static IdGenerator timeOrdered(Clock clock) {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] tail = new byte[10];
            random.nextBytes(tail);
            StringBuilder id = new StringBuilder(32);
            id.append(String.format("%012x", clock.millis()));
            for (byte b : tail) {
                id.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return id.toString();
        };
    }
}
