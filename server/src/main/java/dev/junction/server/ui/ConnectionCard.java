package dev.junction.server.ui;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection as its card on the dashboard and the connections page shows it, built from the
 * API's view of the connection ({@code ConnectionService.get}): the status in words (so it is not
 * told by colour alone), the last test and the health of the open session, already formatted, and
 * then ({@link #with}) its activity of the last 24 hours and the flows that use it. {@code
 * lastTest}, {@code circuit}, {@code rateLimit} and {@code activity} are null when there is none;
 * {@code message} is an action's outcome, an error when {@code alert}.
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
        String icon,
        Activity activity,
        List<String> usedBy,
        List<String> polledBy,
        String message,
        boolean alert) {

    public ConnectionCard {
        usedBy = List.copyOf(usedBy);
        polledBy = List.copyOf(polledBy);
    }

    /** The outcome of the last "test connection": {@code text} is "ok" or the far side's message. */
    public record LastTest(boolean ok, String text, long latencyMs, String at) {}

    /**
     * What the steps that called the connection did, formatted: the last call ("never"), the calls
     * that succeeded today (UTC), and the success rate and p95 latency of the last 24 hours ("no
     * calls" when there were none).
     */
    public record Activity(String last, long itemsToday, String successRate, String p95) {}

    /** What the viewer of a card may do: test it, sync it now, activate/disable it, configure it. */
    public record May(boolean test, boolean sync, boolean change, boolean configure) {
        public boolean any() {
            return test || sync || change || configure;
        }
    }

    /** Whether the card offers Sync now: enabled flows poll the connection. */
    public boolean syncable() {
        return !polledBy.isEmpty();
    }

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
        return message(text, true);
    }

    /** The card with a note on an action that went well. */
    ConnectionCard withNote(String text) {
        return message(text, false);
    }

    private ConnectionCard message(String text, boolean isAlert) {
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
                icon,
                activity,
                usedBy,
                polledBy,
                text,
                isAlert);
    }

    /** The card with its activity and the flows that use it ({@code polledBy}: by a poll trigger). */
    ConnectionCard with(Activity activity, List<String> usedBy, List<String> polledBy) {
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
                icon,
                activity,
                usedBy,
                polledBy,
                message,
                alert);
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
                icon(String.valueOf(view.get("connector"))),
                null,
                List.of(),
                List.of(),
                null,
                false);
    }

    /**
     * The connector's icon under {@code /ui/assets/connectors/}: its own when there is one, else
     * the generic one. Decorative: the card names the connector in words.
     */
    static String icon(String connectorId) {
        return ICONS.computeIfAbsent(connectorId, id -> {
            boolean own = id.matches("[a-z0-9-]{1,40}")
                    && ConnectionCard.class.getResource("/static/ui/assets/connectors/" + id + ".svg") != null;
            return "/ui/assets/connectors/" + (own ? id : "generic") + ".svg";
        });
    }

    private static final Map<String, String> ICONS = new ConcurrentHashMap<>();

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
