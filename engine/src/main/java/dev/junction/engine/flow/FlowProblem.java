package dev.junction.engine.flow;

/**
 * One thing wrong with a flow definition: where ({@code line}, {@code column}, 1-based; 0 when the
 * text has no position for it), which {@code field} (a path such as {@code steps[1].url}), what is
 * wrong and what was expected instead.
 */
public record FlowProblem(String field, int line, int column, String message, String expected) {
    @Override
    public String toString() {
        String where = line > 0 ? "line %d, column %d: ".formatted(line, column) : "";
        String what = field.isEmpty() ? "" : field + ": ";
        return where + what + message + (expected == null ? "" : " (expected " + expected + ")");
    }
}
