package dev.junction.connector.kafka;

import dev.junction.engine.connector.ConnectorException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A stream trigger's Kafka options: where a new group starts ({@code startFrom}: {@code earliest},
 * the default, or {@code latest}), how many records one poll returns ({@code maxPollRecords}, 1 to
 * 1,000, default 100), the group's {@code sessionTimeoutMs} (how soon the partitions of a node that
 * died move to the others; 6,000 to 300,000, default 30,000) and an optional {@code
 * deadLetterTopic} for rejected messages.
 */
record StreamOptions(String startFrom, int maxPollRecords, Duration sessionTimeout, String deadLetterTopic) {
    private static final Set<String> KNOWN =
            Set.of("startFrom", "maxPollRecords", "sessionTimeoutMs", "deadLetterTopic");

    static StreamOptions of(Map<String, Object> options) throws ConnectorException {
        for (String name : options.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new ConnectorException(
                        "CONFIG_INVALID",
                        "options.%s is not a Kafka stream option; known are %s".formatted(name, KNOWN),
                        false);
            }
        }
        Object start = options.getOrDefault("startFrom", "earliest");
        if (!"earliest".equals(start) && !"latest".equals(start)) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "options.startFrom must be 'earliest' or 'latest', not '%s'".formatted(start),
                    false);
        }
        int maxPollRecords = number(options, "maxPollRecords", 100, 1, 1_000);
        int sessionMs = number(options, "sessionTimeoutMs", 30_000, 6_000, 300_000);
        Object dlt = options.get("deadLetterTopic");
        if (dlt != null && (!(dlt instanceof String s) || s.isBlank())) {
            throw new ConnectorException("CONFIG_INVALID", "options.deadLetterTopic must be a topic name", false);
        }
        return new StreamOptions((String) start, maxPollRecords, Duration.ofMillis(sessionMs), (String) dlt);
    }

    private static int number(Map<String, Object> options, String name, int fallback, int min, int max)
            throws ConnectorException {
        Object v = options.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < min || n.intValue() > max) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "options.%s must be a whole number from %d to %d, not %s".formatted(name, min, max, v),
                    false);
        }
        return n.intValue();
    }
}
