package dev.junction.server.ui;

import dev.junction.engine.flow.FlowProblem;
import java.util.List;

/**
 * What the flow editor's check panel shows: the problems found, the graph (when the source is
 * valid), a message (why a save failed) and where to reload a stale edit from (null unless stale).
 */
public record FlowCheck(List<FlowProblem> problems, FlowGraph graph, String message, String reload) {
    /** Nothing checked yet (a new flow's first view). */
    public static final FlowCheck NOTHING = new FlowCheck(List.of(), null, null, null);

    public FlowCheck {
        problems = List.copyOf(problems);
    }

    /** Whether the source was checked and has no problems. */
    public boolean valid() {
        return problems.isEmpty() && graph != null && message == null;
    }
}
