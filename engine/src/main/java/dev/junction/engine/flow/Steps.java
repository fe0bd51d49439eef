package dev.junction.engine.flow;

import java.util.List;
import java.util.stream.Stream;

/** Traversals over step trees. */
public final class Steps {
    private Steps() {}

    /** Every step in {@code steps} and, depth first, in their branches, loop bodies and handlers. */
    public static Stream<Step> walk(List<Step> steps) {
        return steps.stream().flatMap(Steps::walk);
    }

    private static Stream<Step> walk(Step step) {
        Stream<Step> handler =
                step.common().onError() instanceof Step.OnError.Handle h ? walk(h.steps()) : Stream.empty();
        return Stream.concat(
                Stream.concat(Stream.of(step), step.children().stream().flatMap(Steps::walk)), handler);
    }
}
