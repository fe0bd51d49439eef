package dev.junction.connector.s3;

import dev.junction.engine.connector.ConnectorException;
import java.util.Base64;
import java.util.Map;

/** One operation's input object, read field by field with errors that name the field. */
record S3Input(String operation, Map<?, ?> fields) {

    static S3Input of(String operation, Object input) throws ConnectorException {
        if (input == null) {
            return new S3Input(operation, Map.of());
        }
        if (!(input instanceof Map<?, ?> m)) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "the input of '%s' must be an object such as {\"key\": \"orders/42.json\"}, not %s"
                            .formatted(operation, input.getClass().getSimpleName()),
                    false);
        }
        return new S3Input(operation, m);
    }

    String text(String name, String fallback) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw invalid(name, "must be text, not " + v);
        }
        return s;
    }

    String key(String name) throws ConnectorException {
        String k = text(name, "");
        if (k.isEmpty()) {
            throw invalid(name, "is required (an object key such as orders/42.json)");
        }
        return k;
    }

    boolean flag(String name, boolean fallback) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw invalid(name, "must be true or false, not " + v);
        }
        return b;
    }

    long number(String name, long fallback, long min, long max) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.longValue() < min || n.longValue() > max) {
            throw invalid(name, "must be a whole number from %d to %d, not %s".formatted(min, max, v));
        }
        return n.longValue();
    }

    /** {@code encoding}: {@code text} (UTF-8, the default) or {@code base64}. */
    boolean base64() throws ConnectorException {
        String e = text("encoding", "text");
        return switch (e) {
            case "text" -> false;
            case "base64" -> true;
            default -> throw invalid("encoding", "must be 'text' or 'base64', not '" + e + "'");
        };
    }

    byte[] content() throws ConnectorException {
        Object v = fields.get("content");
        if (!(v instanceof String s)) {
            throw invalid("content", "is required: text, or base64 with \"encoding\": \"base64\"");
        }
        if (!base64()) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw invalid("content", "is not valid base64: " + e.getMessage());
        }
    }

    Object raw(String name) {
        return fields.get(name);
    }

    ConnectorException invalid(String name, String problem) {
        return new ConnectorException(
                "INPUT_INVALID", "input.%s of '%s' %s".formatted(name, operation, problem), false);
    }
}
