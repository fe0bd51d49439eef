package dev.junction.connector.email;

import dev.junction.engine.connector.ConnectorException;
import java.util.Map;

/** One operation's input object, read field by field with errors that name the field. */
record MailInput(String operation, Map<?, ?> fields) {

    static MailInput of(String operation, Object input) throws ConnectorException {
        if (input == null) {
            return new MailInput(operation, Map.of());
        }
        if (!(input instanceof Map<?, ?> m)) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "the input of '%s' must be an object such as {\"to\": \"ops@example.com\", \"subject\": \"...\"}, not %s"
                            .formatted(operation, input.getClass().getSimpleName()),
                    false);
        }
        return new MailInput(operation, m);
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

    /** A list of texts; a single text counts as a list of one. */
    java.util.List<String> texts(String name) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return java.util.List.of();
        }
        if (v instanceof String s) {
            return s.isBlank() ? java.util.List.of() : java.util.List.of(s);
        }
        if (v instanceof java.util.List<?> l) {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw invalid(name, "must be text or a list of texts, not a list holding " + o);
                }
                out.add(s);
            }
            return out;
        }
        throw invalid(name, "must be text or a list of texts, not " + v);
    }

    Object raw(String name) {
        return fields.get(name);
    }

    ConnectorException invalid(String name, String problem) {
        return new ConnectorException(
                "INPUT_INVALID", "input.%s of '%s' %s".formatted(name, operation, problem), false);
    }
}
