package dev.junction.engine.flow;

/** The text formats a flow definition may be written in. */
public enum SourceFormat {
    YAML,
    JSON
}
