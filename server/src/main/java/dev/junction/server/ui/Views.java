package dev.junction.server.ui;

import dev.junction.engine.run.Run;
import dev.junction.engine.run.StepAttempt;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** What the web UI's templates show: rows of runs, flows and step attempts, already formatted. */
public final class Views {
    private static final JsonMapper PRETTY =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Views() {}

    /** A flow in the flow list. The last run's fields are null when it never ran. */
    public record FlowRow(
            String id,
            String name,
            String trigger,
            int version,
            boolean enabled,
            String lastRunId,
            String lastStatus,
            String lastRunAt) {}

    /** A stored version of a flow, for its history. */
    public record VersionRow(int version, String name, String saved) {}

    /** A run in a list; {@code errorCode} and {@code errorMessage} are null unless it failed. */
    public record RunRow(
            String id,
            String flowId,
            int flowVersion,
            String status,
            String trigger,
            String created,
            String errorCode,
            String errorMessage,
            String errorStep) {
        static RunRow of(Run r) {
            return new RunRow(
                    r.id(),
                    r.flowId(),
                    r.flowVersion(),
                    r.status().name(),
                    r.triggerType(),
                    time(r.createdAt()),
                    r.error() == null ? null : r.error().code(),
                    r.error() == null ? null : r.error().message(),
                    r.error() == null ? null : r.error().stepId());
        }
    }

    /** The dead letters of one flow with one error code (null: the run failed without one). */
    public record DeadLetterGroup(String flowId, String errorCode, List<RunRow> runs) {
        public DeadLetterGroup {
            runs = List.copyOf(runs);
        }
    }

    /** One attempt of one step, its data as pretty JSON (already redacted by the store). */
    public record StepRow(
            int seq,
            String stepId,
            String path,
            String type,
            int attempt,
            String status,
            String input,
            String output,
            String errorCode,
            String errorMessage,
            String started,
            String duration) {
        static StepRow of(StepAttempt a) {
            return new StepRow(
                    a.seq(),
                    a.stepId(),
                    a.path(),
                    a.stepType(),
                    a.attempt(),
                    a.status().name(),
                    json(a.input()),
                    json(a.output()),
                    a.error() == null ? null : a.error().code(),
                    a.error() == null ? null : a.error().message(),
                    time(a.startedAt()),
                    took(a.startedAt(), a.endedAt()));
        }
    }

    /** A language offered on the profile page: its BCP 47 tag and its name in itself ("Deutsch"). */
    public record Language(String tag, String name) {}

    /** A JSON value pretty-printed, or null for none. */
    public static String json(Object value) {
        return value == null ? null : PRETTY.writeValueAsString(value);
    }

    /** An instant as {@code 2026-01-31 12:00:00 UTC}, or an empty string. */
    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String took(Instant start, Instant end) {
        if (start == null || end == null) {
            return "";
        }
        return millis(Duration.between(start, end).toMillis());
    }

    /** A duration as {@code 120 ms} or {@code 1.5 s}. */
    static String millis(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** A share as {@code 97 %} or {@code 66.7 %}. */
    static String percent(double share) {
        return SvgChart.format(Math.round(share * 1000) / 10.0) + " %";
    }
}
