package dev.junction.engine.exec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces secret values by {@code ***} in what a run stores (step inputs, outputs, errors, the run's
 * output), so secrets used in templates never reach the database, the API or logs. Values shorter
 * than four characters are not redacted (they would mangle ordinary text). Immutable.
 */
final class Redactor {
    static final String MASK = "***";
    static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    static Redactor of(Collection<String> values) {
        List<String> s = new ArrayList<>();
        for (String v : values) {
            if (v != null && v.length() >= 4) {
                s.add(v);
            }
        }
        s.sort(Comparator.comparingInt(String::length).reversed()); // longest first: no partial leftovers
        return s.isEmpty() ? NONE : new Redactor(List.copyOf(s));
    }

    Object redact(Object value) {
        if (secrets.isEmpty() || value == null) {
            return value;
        }
        return switch (value) {
            case String s -> text(s);
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(k instanceof String ks ? text(ks) : k, redact(v)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(redact(v)));
                yield out;
            }
            default -> value;
        };
    }

    String text(String s) {
        if (secrets.isEmpty() || s == null) {
            return s;
        }
        String out = s;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}
