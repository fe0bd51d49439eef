package dev.junction.engine.flow;

/** A 1-based line and column in a flow's source text. */
public record Location(int line, int column) {
    public static final Location UNKNOWN = new Location(0, 0);
}
