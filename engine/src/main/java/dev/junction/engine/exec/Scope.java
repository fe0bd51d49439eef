package dev.junction.engine.exec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What expressions of one step see: {@code trigger}, {@code steps.<id>.output}, {@code vars},
 * {@code run}, {@code env}, {@code secrets}, and inside a loop {@code item} and {@code index}.
 * A loop iteration or parallel branch gets a child scope whose step outputs start as a copy of its
 * parent's; {@code vars} is shared by the whole run. Not thread-safe: one scope per thread of work.
 */
final class Scope {
    private final String pathPrefix;
    private final Map<String, Object> steps;
    private final Map<String, Object> context;

    private Scope(String pathPrefix, Map<String, Object> steps, Map<String, Object> context) {
        this.pathPrefix = pathPrefix;
        this.steps = steps;
        this.context = context;
        context.put("steps", steps);
    }

    static Scope root(Map<String, Object> base) {
        return new Scope("", new LinkedHashMap<>(), new HashMap<>(base));
    }

    Scope child(String prefix, Object item, Integer index) {
        Map<String, Object> ctx = new HashMap<>(context);
        if (index != null) {
            ctx.put("item", item);
            ctx.put("index", index);
        }
        return new Scope(pathPrefix + prefix, new LinkedHashMap<>(steps), ctx);
    }

    /** A scope that additionally sees {@code error} (for onError handlers). */
    Scope withError(Map<String, Object> error) {
        Scope s = new Scope(pathPrefix, steps, new HashMap<>(context));
        s.context.put("error", error);
        return s;
    }

    String path(String stepId) {
        return pathPrefix + stepId;
    }

    void output(String stepId, Object output) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("output", output);
        steps.put(stepId, entry);
    }

    Map<String, Object> context() {
        return context;
    }
}
