package dev.junction.connector.redis;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.StreamSource;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.StreamEntryID;

/**
 * The stream trigger's options: {@code start} ({@code earliest}: a new group reads the stream from
 * its beginning, the default; {@code latest}: only entries added afterwards), {@code createGroup}
 * (true), {@code deadLetterStream} ({@code <stream>:dead}; {@code ""} drops rejected entries),
 * {@code bodyField} ({@code body}) and {@code claimAfterSeconds} (60; 0 turns claiming off).
 */
record RedisStreamOptions(
        StreamEntryID start, boolean createGroup, String deadLetterStream, String bodyField, Duration claimAfter) {
    private static final Set<String> KNOWN =
            Set.of("start", "createGroup", "deadLetterStream", "bodyField", "claimAfterSeconds");

    static RedisStreamOptions of(StreamSource.Spec spec) throws ConnectorException {
        Map<String, Object> o = spec.options();
        for (String name : o.keySet()) {
            if (!KNOWN.contains(name)) {
                throw invalid(name, "is not an option of the redis stream trigger; known: " + KNOWN);
            }
        }
        String start = String.valueOf(o.getOrDefault("start", "earliest"));
        StreamEntryID startId =
                switch (start) {
                    case "earliest" -> new StreamEntryID(0, 0);
                    case "latest" -> StreamEntryID.XGROUP_LAST_ENTRY;
                    default -> throw invalid("start", "must be 'earliest' or 'latest', not '" + start + "'");
                };
        Object create = o.getOrDefault("createGroup", true);
        if (!(create instanceof Boolean)) {
            throw invalid("createGroup", "must be true or false");
        }
        Object dead = o.getOrDefault("deadLetterStream", spec.source() + ":dead");
        Object body = o.getOrDefault("bodyField", "body");
        Object claim = o.getOrDefault("claimAfterSeconds", 60);
        if (!(claim instanceof Number n) || n.longValue() < 0) {
            throw invalid("claimAfterSeconds", "must be a number of seconds (0 turns claiming off)");
        }
        String deadLetters = String.valueOf(dead);
        return new RedisStreamOptions(
                startId,
                (Boolean) create,
                deadLetters.isEmpty() ? null : deadLetters,
                String.valueOf(body),
                Duration.ofSeconds(n.longValue()));
    }

    private static ConnectorException invalid(String name, String why) {
        return new ConnectorException("CONFIG_INVALID", "options.%s %s".formatted(name, why), false);
    }
}
