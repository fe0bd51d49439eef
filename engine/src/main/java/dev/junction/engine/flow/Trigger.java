package dev.junction.engine.flow;

import dev.junction.engine.expr.Expression;
import dev.junction.engine.expr.Template;
import java.time.Duration;
import java.util.Map;

/** What starts a run of a flow. A closed set; every kind a switch must handle is here. */
public sealed interface Trigger {
    String type();

    /** {@code POST /hooks/{workspace}/{path}}; the answer is the respond step's or a 202. */
    record Webhook(String path, String method, Template idempotencyKey, Duration responseTimeout) implements Trigger {
        public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

        @Override
        public String type() {
            return "webhook";
        }
    }

    /** Runs on a cron (5 or 6 fields, in {@code timezone}) or {@code every} fixed interval. */
    record Schedule(String cron, java.time.ZoneId timezone, Duration every, Misfire misfire) implements Trigger {
        /**
         * What happens to fire times missed while Junction was down: fire {@code ONCE} for all of
         * them (the default), {@code SKIP} them, or fire {@code ALL} of them (at most 100).
         */
        public enum Misfire {
            ONCE,
            SKIP,
            ALL
        }

        @Override
        public String type() {
            return "schedule";
        }
    }

    /** Runs started from the API or UI; the input is checked against {@code inputSchema} if set. */
    record Manual(Map<String, Object> inputSchema) implements Trigger {
        @Override
        public String type() {
            return "manual";
        }
    }

    /**
     * Calls {@code operation} of {@code connection} every {@code every} and starts one run per item
     * of the answer. The cursor is the connector's ({@code input.cursor} in, {@code cursor} out)
     * unless {@code cursor} is set: then the flow computes the next cursor from {@code {output,
     * items, cursor}} and the {@code input} template sees {@code cursor}. {@code items} (optional)
     * picks the items from {@code {output, cursor}}; by default the answer's {@code items}, else
     * the answer itself when it is an array.
     */
    record Poll(
            String connection, String operation, Template input, Duration every, Expression cursor, Expression items)
            implements Trigger {
        public static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);

        /** What the stored cursor belongs to: a change of it starts the feed afresh. */
        public String source() {
            return connection + "/" + operation + "/" + input + "/" + (cursor == null ? "" : cursor.source());
        }

        @Override
        public String type() {
            return "poll";
        }
    }

    /**
     * Consumes messages of {@code source} (topic, queue, subject, stream key) from {@code
     * connection}, one run per message, in consumer group {@code group} (default: the flow's id), so
     * that several nodes share the work. At most {@code maxInFlight} runs of this trigger are
     * unfinished on one node; beyond that it stops taking messages. {@code options} go to the
     * connector as they are.
     */
    record Stream(String connection, String source, String group, int maxInFlight, Map<String, Object> options)
            implements Trigger {
        public static final int DEFAULT_MAX_IN_FLIGHT = 64;

        public Stream {
            options = options == null ? Map.of() : Map.copyOf(options);
        }

        @Override
        public String type() {
            return "stream";
        }
    }
}
