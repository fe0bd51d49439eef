package dev.junction.engine.flow;

import dev.junction.engine.expr.Expression;
import dev.junction.engine.expr.Template;
import dev.junction.engine.flow.FlowParser.Context;
import dev.junction.engine.flow.FlowParser.Node;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code trigger} object of a flow (FLOWS.md, Triggers), reporting problems to the parse. */
final class TriggerReader {
    private static final String TYPES = "webhook, schedule, poll, stream or manual";
    private static final Set<String> NOT_YET = Set.of("event");

    private final Context ctx;

    TriggerReader(Context ctx) {
        this.ctx = ctx;
    }

    Trigger trigger(Node node) {
        if (node == null) {
            return null;
        }
        String type = node.string("type", true, TYPES);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "webhook" -> webhook(node);
            case "schedule" -> schedule(node);
            case "manual" -> manual(node);
            case "poll" -> poll(node);
            case "stream" -> stream(node);
            default -> {
                String why = NOT_YET.contains(type)
                        ? "trigger type '%s' is not available in this version of Junction".formatted(type)
                        : "unknown trigger type '%s'".formatted(type);
                ctx.problem(node.at("type"), why, TYPES);
                yield null;
            }
        };
    }

    private Trigger webhook(Node node) {
        node.allowOnly(
                Set.of("type", "path", "method", "idempotencyKey", "verify", "responseTimeout"), "a webhook trigger");
        String path = node.matching(
                "path",
                true,
                Pattern.compile("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*"),
                "a URL path such as shop-orders or shop/orders, without leading '/'");
        String method = node.matching(
                "method", false, Pattern.compile("GET|POST|PUT|PATCH|DELETE"), "GET, POST, PUT, PATCH or DELETE");
        if (node.has("verify")) {
            ctx.problem(
                    node.at("verify"),
                    "webhook signature verification is not available in this version of Junction",
                    "no 'verify' field");
        }
        Template key = node.template("idempotencyKey");
        Duration timeout = node.duration("responseTimeout");
        return path == null
                ? null
                : new Trigger.Webhook(
                        path,
                        method == null ? "POST" : method,
                        key,
                        timeout == null ? Trigger.Webhook.DEFAULT_RESPONSE_TIMEOUT : timeout);
    }

    private Trigger schedule(Node node) {
        node.allowOnly(Set.of("type", "cron", "timezone", "every", "misfire"), "a schedule trigger");
        String misfire = node.matching("misfire", false, Pattern.compile("once|skip|all"), "once, skip or all");
        String cron = node.string("cron", false, "a cron of 5 or 6 fields");
        Duration every = node.duration("every");
        String zone = node.string("timezone", false, "an IANA time zone such as Europe/Berlin");
        if ((cron == null) == (every == null) && !node.has("cron") && !node.has("every")) {
            ctx.problem(node.path, "a schedule needs 'cron' or 'every'", "cron: \"0 * * * *\" or every: 5m");
            return null;
        }
        if (cron != null && every != null) {
            ctx.problem(node.at("every"), "a schedule has either 'cron' or 'every', not both", "one of them");
            return null;
        }
        if (cron != null) {
            try {
                Cron.parse(cron);
            } catch (IllegalArgumentException e) {
                ctx.problem(
                        node.at("cron"),
                        "invalid cron '%s': %s".formatted(cron, e.getMessage()),
                        "a cron of 5 or 6 fields");
                return null;
            }
        }
        if (every != null && every.compareTo(Duration.ofSeconds(1)) < 0) {
            ctx.problem(node.at("every"), "'every' is shorter than one second", "1s or more");
            return null;
        }
        ZoneId zoneId = ZoneId.of("UTC");
        if (zone != null) {
            try {
                zoneId = ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
                ctx.problem(
                        node.at("timezone"),
                        "unknown time zone '%s'".formatted(zone),
                        "an IANA time zone such as Europe/Berlin");
                return null;
            }
        }
        Trigger.Schedule.Misfire policy = misfire == null
                ? Trigger.Schedule.Misfire.ONCE
                : Trigger.Schedule.Misfire.valueOf(misfire.toUpperCase(java.util.Locale.ROOT));
        return cron == null && every == null ? null : new Trigger.Schedule(cron, zoneId, every, policy);
    }

    private Trigger manual(Node node) {
        node.allowOnly(Set.of("type", "inputSchema"), "a manual trigger");
        Node schema = node.object("inputSchema", false, "a JSON Schema object");
        if (schema != null) {
            String error = dev.junction.engine.json.JsonSchemas.check(schema.map);
            if (error != null) {
                ctx.problem(schema.path, "invalid JSON Schema: " + error, "a JSON Schema (2020-12) object");
            }
        }
        return new Trigger.Manual(schema == null ? null : schema.map);
    }

    private Trigger poll(Node node) {
        node.allowOnly(
                Set.of("type", "connection", "operation", "input", "every", "cursor", "items"), "a poll trigger");
        String connection =
                node.matching("connection", true, FlowParser.CONNECTION_ID, "a connection id such as crm or erp-prod");
        String operation = node.string("operation", true, "the name of one of the connection's operations");
        Template input = node.template("input");
        if (node.has("input") && !(node.map.get("input") instanceof Map<?, ?>)) {
            ctx.problem(node.at("input"), "'input' must be an object", "the operation's input object");
        }
        Duration every = node.duration("every");
        boolean tooOften = every != null && every.compareTo(Duration.ofSeconds(1)) < 0;
        if (tooOften) {
            ctx.problem(node.at("every"), "'every' is shorter than one second", "1s or more");
        }
        Expression cursor = node.expression("cursor", false);
        Expression items = node.expression("items", false);
        if (connection == null || operation == null || tooOften || (node.has("every") && every == null)) {
            return null;
        }
        return new Trigger.Poll(
                connection,
                operation,
                input == null ? new Template.Literal(Map.of()) : input,
                every == null ? Trigger.Poll.DEFAULT_EVERY : every,
                cursor,
                items);
    }

    private Trigger stream(Node node) {
        node.allowOnly(Set.of("type", "connection", "source", "group", "maxInFlight", "options"), "a stream trigger");
        String connection =
                node.matching("connection", true, FlowParser.CONNECTION_ID, "a connection id such as orders-mq");
        String source = node.string("source", true, "a topic, queue, subject or stream key");
        String group = node.string("group", false, "a consumer group name");
        Integer maxInFlight = node.integer("maxInFlight", 1, 10_000);
        Node options = node.object("options", false, "an object of connector-specific options");
        if (connection == null || source == null || (node.has("maxInFlight") && maxInFlight == null)) {
            return null;
        }
        if (source.isBlank()) {
            ctx.problem(node.at("source"), "'source' is empty", "a topic, queue, subject or stream key");
            return null;
        }
        return new Trigger.Stream(
                connection,
                source,
                group,
                maxInFlight == null ? Trigger.Stream.DEFAULT_MAX_IN_FLIGHT : maxInFlight,
                options == null ? Map.of() : options.map);
    }
}
