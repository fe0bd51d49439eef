package dev.junction.connector.redis;

import dev.junction.engine.connector.ConnectorDescriptor.Operation;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;

/**
 * The operations: common commands, each an input object in and an output object out. Values that
 * are not text are stored as JSON; what Redis answers is given back as text.
 */
final class RedisCommands {
    private static final Map<String, Object> TEXT = Map.of("type", "string");
    private static final Map<String, Object> ANY = Map.of("description", "text, or any JSON value (stored as JSON)");
    private static final Map<String, Object> WHOLE = Map.of("type", "integer");

    static final List<Operation> OPERATIONS = List.of(
            op("get", "Reads a string key; answers {key, value, exists}", Map.of("key", TEXT), "key"),
            op(
                    "set",
                    "Writes a string key, optionally expiring; answers {key, written}",
                    Map.of(
                            "key",
                            TEXT,
                            "value",
                            ANY,
                            "expireSeconds",
                            Map.of("type", "integer", "minimum", 1),
                            "onlyIfAbsent",
                            Map.of("type", "boolean", "default", false)),
                    "key",
                    "value"),
            op(
                    "del",
                    "Deletes keys; answers {deleted}",
                    Map.of("keys", Map.of("type", "array", "items", TEXT, "minItems", 1)),
                    "keys"),
            op(
                    "hget",
                    "Reads one hash field; answers {value, exists}",
                    Map.of("key", TEXT, "field", TEXT),
                    "key",
                    "field"),
            op(
                    "hset",
                    "Writes hash fields; answers {added}",
                    Map.of("key", TEXT, "fields", Map.of("type", "object", "minProperties", 1)),
                    "key",
                    "fields"),
            op("hgetall", "Reads a whole hash; answers {fields}", Map.of("key", TEXT), "key"),
            op("lpush", "Prepends values to a list; answers {length}", listPush(), "key", "values"),
            op("rpush", "Appends values to a list; answers {length}", listPush(), "key", "values"),
            op(
                    "lrange",
                    "Reads list elements from start to stop (inclusive, negative from the end); answers {values}",
                    Map.of(
                            "key",
                            TEXT,
                            "start",
                            Map.of("type", "integer", "default", 0),
                            "stop",
                            Map.of("type", "integer", "default", -1)),
                    "key"),
            op(
                    "publish",
                    "Publishes to a pub/sub channel (fire and forget); answers {receivers}",
                    Map.of("channel", TEXT, "message", ANY),
                    "channel",
                    "message"),
            op(
                    "xadd",
                    "Appends an entry to a stream; answers {id}",
                    Map.of(
                            "stream", TEXT,
                            "fields", Map.of("type", "object", "minProperties", 1),
                            "id", Map.of("type", "string", "default", "*"),
                            "maxLength", Map.of("type", "integer", "minimum", 1, "description", "trim to about this")),
                    "stream",
                    "fields"));

    private RedisCommands() {}

    static Object invoke(UnifiedJedis redis, String operation, OperationInput in) throws ConnectorException {
        return switch (operation) {
            case "get" -> {
                String key = in.text("key");
                String v = redis.get(key);
                yield out("key", key, "value", v, "exists", v != null);
            }
            case "set" -> set(redis, in);
            case "del" -> out("deleted", redis.del(in.values("keys").toArray(String[]::new)));
            case "hget" -> {
                String v = redis.hget(in.text("key"), in.text("field"));
                yield out("value", v, "exists", v != null);
            }
            case "hset" -> out("added", redis.hset(in.text("key"), in.fields("fields")));
            case "hgetall" -> out("fields", redis.hgetAll(in.text("key")));
            case "lpush" ->
                out("length", redis.lpush(in.text("key"), in.values("values").toArray(String[]::new)));
            case "rpush" ->
                out("length", redis.rpush(in.text("key"), in.values("values").toArray(String[]::new)));
            case "lrange" ->
                out("values", redis.lrange(in.text("key"), in.number("start", 0L), in.number("stop", -1L)));
            case "publish" -> out("receivers", redis.publish(in.text("channel"), in.value("message")));
            case "xadd" -> xadd(redis, in);
            default ->
                throw new ConnectorException(
                        "OPERATION_NOT_FOUND",
                        "the redis connector has no operation '%s'; it has %s"
                                .formatted(
                                        operation,
                                        OPERATIONS.stream().map(Operation::name).toList()),
                        false);
        };
    }

    private static Map<String, Object> set(UnifiedJedis redis, OperationInput in) throws ConnectorException {
        String key = in.text("key");
        SetParams params = new SetParams();
        Long ex = in.number("expireSeconds", null);
        if (ex != null) {
            if (ex < 1) {
                throw in.invalid("expireSeconds", "must be at least 1");
            }
            params.ex(ex);
        }
        if (Boolean.TRUE.equals(in.raw("onlyIfAbsent"))) {
            params.nx();
        }
        String answer = redis.set(key, in.value("value"), params);
        return out("key", key, "written", "OK".equals(answer));
    }

    private static Map<String, Object> xadd(UnifiedJedis redis, OperationInput in) throws ConnectorException {
        XAddParams params = new XAddParams();
        String id = in.text("id", "*");
        if (!id.equals("*")) {
            params.id(id);
        }
        Long max = in.number("maxLength", null);
        if (max != null) {
            params.maxLen(max).approximateTrimming();
        }
        StreamEntryID added = redis.xadd(in.text("stream"), params, in.fields("fields"));
        return out("id", added.toString());
    }

    private static Map<String, Object> listPush() {
        return Map.of("key", TEXT, "values", Map.of("type", "array", "minItems", 1, "items", ANY));
    }

    private static Operation op(String name, String description, Map<String, Object> props, String... required) {
        return new Operation(
                name,
                description,
                Map.of(
                        "type",
                        "object",
                        "additionalProperties",
                        false,
                        "required",
                        List.of(required),
                        "properties",
                        props),
                Map.of("type", "object"),
                false);
    }

    private static Map<String, Object> out(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
