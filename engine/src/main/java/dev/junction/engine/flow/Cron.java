package dev.junction.engine.flow;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Optional;

/** Cron expressions of 5 fields (minute first) or 6 fields (second first), via cron-utils. */
public final class Cron {
    private static final CronParser FIVE = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final ExecutionTime executionTime;

    private Cron(ExecutionTime executionTime) {
        this.executionTime = executionTime;
    }

    /** @throws IllegalArgumentException with cron-utils' explanation when the text is not a cron */
    public static Cron parse(String text) {
        String trimmed = text.strip();
        int fields = trimmed.split("\\s+").length;
        CronParser parser =
                switch (fields) {
                    case 5 -> FIVE;
                    case 6 -> SIX;
                    default -> throw new IllegalArgumentException("a cron has 5 or 6 fields, this one has " + fields);
                };
        return new Cron(ExecutionTime.forCron(parser.parse(trimmed)));
    }

    /** The first fire time strictly after {@code after}. */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        return executionTime.nextExecution(after);
    }
}
