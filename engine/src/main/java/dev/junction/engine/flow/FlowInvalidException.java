package dev.junction.engine.flow;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import java.util.List;
import java.util.stream.Collectors;

/** A definition was rejected; {@link #problems()} lists every problem found, in source order. */
public final class FlowInvalidException extends JunctionException {
    private final List<FlowProblem> problems;

    public FlowInvalidException(List<FlowProblem> problems) {
        super(ErrorCode.FLOW_INVALID, summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<FlowProblem> problems() {
        return problems;
    }

    private static String summary(List<FlowProblem> problems) {
        String first = problems.getFirst().toString();
        return problems.size() == 1
                ? first
                : first
                        + problems.stream()
                                .skip(1)
                                .map(FlowProblem::toString)
                                .collect(Collectors.joining("; ", "; ", ""));
    }
}
