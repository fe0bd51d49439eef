package dev.junction.engine.flow;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Traversals over step trees. */
public final class Steps {
    private Steps() {}

    /** Every step in {@code steps} and, depth first, in their branches, loop bodies and handlers. */
    public static Stream<Step> walk(List<Step> steps) {
        return steps.stream().flatMap(Steps::walk);
    }

    /**
     * Whether any step, at any depth (branches and error handlers included), passes the test:
     * {@link #walk} without a stream, for paths taken on every request.
     */
    public static boolean any(List<Step> steps, Predicate<Step> test) {
        for (Step step : steps) {
            if (test.test(step)) {
                return true;
            }
            for (List<Step> branch : step.children()) {
                if (any(branch, test)) {
                    return true;
                }
            }
            if (step.common().onError() instanceof Step.OnError.Handle h && any(h.steps(), test)) {
                return true;
            }
        }
        return false;
    }

    private static Stream<Step> walk(Step step) {
        Stream<Step> handler =
                step.common().onError() instanceof Step.OnError.Handle h ? walk(h.steps()) : Stream.empty();
        return Stream.concat(
                Stream.concat(Stream.of(step), step.children().stream().flatMap(Steps::walk)), handler);
    }
}
