package dev.junction.engine.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON values in Junction are plain Java objects: {@code Map<String, Object>} (insertion ordered),
 * {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean} and {@code null}. This is
 * what JSONata evaluates on and what the stores persist as text. Thread-safe.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Serialises a plain value to compact JSON text. */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Parses JSON text into a plain value; throws {@link JacksonException} on malformed input. */
    public static Object read(String text) {
        return MAPPER.readValue(text, Object.class);
    }

    /** Parses JSON text, or returns {@code null} for a null or empty column. */
    public static Object readNullable(String text) {
        return text == null || text.isEmpty() ? null : read(text);
    }

    /**
     * Copies a value into plain JSON types, turning whatever an evaluator produced (its own list
     * subclasses, functions, special null markers) into something Jackson and the stores accept.
     */
    public static Object plain(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(plain(item));
            }
            return copy;
        }
        if (value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return normalise(number);
        }
        if (value.getClass().getName().startsWith("com.dashjoin.jsonata")) {
            return null; // functions and JSONata's NULL marker have no JSON form but null
        }
        return String.valueOf(value);
    }

    /**
     * Whether the JSON text of a plain value is certainly at most {@code limit} bytes, without
     * writing it: an upper bound (every character counted as 6 bytes, the worst escape) summed with
     * an early exit. False means "maybe larger": write it to know.
     */
    public static boolean sizeAtMost(Object value, long limit) {
        return bound(value, limit) <= limit;
    }

    private static long bound(Object value, long limit) {
        return switch (value) {
            case null -> 4;
            case String s -> 6L * s.length() + 2;
            case Number n -> 32;
            case Boolean b -> 5;
            case Map<?, ?> map -> {
                long size = 2;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    size += bound(String.valueOf(e.getKey()), limit) + 2 + bound(e.getValue(), limit - size);
                    if (size > limit) {
                        yield size;
                    }
                }
                yield size;
            }
            case List<?> list -> {
                long size = 2;
                for (Object item : list) {
                    size += bound(item, limit - size) + 1;
                    if (size > limit) {
                        yield size;
                    }
                }
                yield size;
            }
            default -> 6L * String.valueOf(value).length() + 2;
        };
    }

    private static Number normalise(Number number) {
        if (number instanceof Double d && !d.isInfinite() && !d.isNaN() && d == Math.rint(d) && Math.abs(d) < 1e15) {
            long l = d.longValue();
            return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Number) (int) l : (Number) l;
        }
        return number;
    }
}
