package dev.junction.engine.flow;

import dev.junction.engine.expr.Expression;
import dev.junction.engine.expr.Template;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The step types of a flow, a closed hierarchy: adding a type means one record here, one branch in
 * the parser and one executor, and the compiler points at every switch that must learn it.
 */
public sealed interface Step {
    /** What every step has: id, type, optional {@code when}, retry, timeout and onError. */
    Common common();

    default String id() {
        return common().id();
    }

    /** Nested step lists (branches, loop bodies) in definition order. */
    default List<List<Step>> children() {
        return List.of();
    }

    record Common(
            String id,
            String type,
            Expression when,
            RetryPolicy retry,
            Duration timeout,
            OnError onError,
            Location location) {}

    /** What happens when the step fails after its retries. */
    sealed interface OnError {
        /** The run fails (the default). */
        record Fail() implements OnError {}

        /** The run goes on; the step's output is {@code {"error": {code, message}}}. */
        record Continue() implements OnError {}

        /** These steps run with {@code error} in scope, then the run goes on. */
        record Handle(List<Step> steps) implements OnError {
            public Handle {
                steps = List.copyOf(steps);
            }
        }
    }

    record Mapping(Common common, Expression expression) implements Step {}

    record Http(
            Common common,
            Template method,
            Template url,
            Template headers,
            Template query,
            Template body,
            String connection,
            List<StatusRange> acceptStatus)
            implements Step {
        public Http {
            acceptStatus = List.copyOf(acceptStatus);
        }
    }

    /** Invokes {@code operation} of the connection {@code connection} with the rendered {@code input}. */
    record Call(Common common, String connection, String operation, Template input) implements Step {}

    record Condition(Common common, Expression condition, List<Step> then, List<Step> otherwise) implements Step {
        public Condition {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }

        @Override
        public List<List<Step>> children() {
            return List.of(then, otherwise);
        }
    }

    record Switch(Common common, Expression value, Map<String, List<Step>> cases, List<Step> otherwise)
            implements Step {
        public Switch {
            cases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cases));
            otherwise = List.copyOf(otherwise);
        }

        @Override
        public List<List<Step>> children() {
            var all = new java.util.ArrayList<List<Step>>(cases.values());
            all.add(otherwise);
            return all;
        }
    }

    record ForEach(Common common, Expression items, int concurrency, List<Step> steps) implements Step {
        public ForEach {
            steps = List.copyOf(steps);
        }

        @Override
        public List<List<Step>> children() {
            return List.of(steps);
        }
    }

    record Parallel(Common common, Map<String, List<Step>> branches) implements Step {
        public Parallel {
            branches = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(branches));
        }

        @Override
        public List<List<Step>> children() {
            return List.copyOf(branches.values());
        }
    }

    record Set(Common common, Map<String, Template> vars) implements Step {
        public Set {
            vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        }
    }

    record Respond(Common common, Template status, Template headers, Template body) implements Step {}

    record Fail(Common common, Template code, Template message) implements Step {}

    /** Waits {@code duration}, or until the instant {@code until} renders to. */
    record Delay(Common common, Duration duration, Template until) implements Step {}

    /** An inclusive range of HTTP status codes the step accepts as success. */
    record StatusRange(int from, int to) {
        public boolean contains(int status) {
            return status >= from && status <= to;
        }
    }
}
