package dev.junction.server.ui;

import java.time.Instant;
import java.util.Map;

/**
 * One connection as its card on the connections page shows it, built from the API's view of the
 * connection ({@code ConnectionService.get}): the status in words (so it is not told by colour
 * alone), the last test and the health of the open session, already formatted. {@code lastTest},
 * {@code circuit} and {@code rateLimit} are null when there is none.
 */
public record ConnectionCard(
        String id,
        String name,
        String connectorId,
        String connectorName,
        String state,
        String stateLabel,
        String statusReason,
        LastTest lastTest,
        String circuit,
        String rateLimit,
        String message) {

    /** The outcome of the last "test connection": {@code text} is "ok" or the far side's message. */
    public record LastTest(boolean ok, String text, long latencyMs, String at) {}

    /** Whether the card offers Activate (the API's activate also brings a disabled connection back). */
    public boolean activatable() {
        return !state.equals("connected") && !state.equals("failing");
    }

    /** Whether the card offers Disable. */
    public boolean disableable() {
        return !state.equals("disabled");
    }

    /** The card with an error message from a refused or failed action. */
    ConnectionCard withMessage(String text) {
        return new ConnectionCard(
                id,
                name,
                connectorId,
                connectorName,
                state,
                stateLabel,
                statusReason,
                lastTest,
                circuit,
                rateLimit,
                text);
    }

    @SuppressWarnings("unchecked")
    static ConnectionCard of(Map<String, Object> view, String connectorName) {
        Map<String, Object> test = (Map<String, Object>) view.get("lastTest");
        Map<String, Object> runtime = (Map<String, Object>) view.get("runtime");
        LastTest last = test == null ? null : lastTest(test);
        String circuit = runtime == null ? null : String.valueOf(runtime.get("circuit"));
        String state =
                switch (String.valueOf(view.get("status"))) {
                    case "active" -> "open".equals(circuit) || (last != null && !last.ok()) ? "failing" : "connected";
                    case "needs_reauth" -> "needs-reauth";
                    case "disabled" -> "disabled";
                    default -> "draft";
                };
        String label =
                switch (state) {
                    case "connected" -> "connected";
                    case "failing" -> "failing";
                    case "needs-reauth" -> "needs re-auth";
                    case "disabled" -> "disabled";
                    default -> "draft";
                };
        return new ConnectionCard(
                String.valueOf(view.get("id")),
                String.valueOf(view.get("name")),
                String.valueOf(view.get("connector")),
                connectorName,
                state,
                label,
                (String) view.get("statusReason"),
                last,
                circuit == null ? null : circuit + circuitFailures(runtime),
                runtime == null ? null : rateLimit((Map<String, Object>) runtime.get("rateLimit")),
                null);
    }

    private static LastTest lastTest(Map<String, Object> test) {
        boolean ok = Boolean.TRUE.equals(test.get("ok"));
        String text =
                ok ? "ok" : "failed: " + test.getOrDefault("code", "ERROR") + ": " + test.getOrDefault("message", "");
        long latency = test.get("latencyMs") instanceof Number n ? n.longValue() : 0;
        String at = test.get("at") == null ? "" : Views.time(Instant.parse(String.valueOf(test.get("at"))));
        return new LastTest(ok, text, latency, at);
    }

    private static String circuitFailures(Map<String, Object> runtime) {
        Object failures = runtime.get("recentFailures");
        return failures == null ? "" : " (" + failures + " recent failures)";
    }

    private static String rateLimit(Map<String, Object> limit) {
        if (limit == null) {
            return "no limit";
        }
        return "%s of %s per %s available".formatted(limit.get("available"), limit.get("requests"), limit.get("per"));
    }
}
