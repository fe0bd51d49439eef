package dev.junction.engine.expr;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.json.Json;
import java.time.Duration;

/**
 * The budget of one evaluation: wall time, recursion depth and the size of the result when
 * serialised as JSON. Exceeding any fails the step with {@code EXPRESSION_LIMIT}.
 */
public record ExpressionLimits(Duration timeout, int maxDepth, int maxResultBytes) {
    public static final ExpressionLimits DEFAULT = new ExpressionLimits(Duration.ofSeconds(2), 200, 10 * 1024 * 1024);

    void checkSize(Object value, Expression expression) {
        if (value instanceof String s && s.length() * 4L <= maxResultBytes) {
            return;
        }
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return;
        }
        if (Json.sizeAtMost(value, maxResultBytes)) {
            return;
        }
        int size = Json.write(value).length();
        if (size > maxResultBytes) {
            throw new JunctionException(
                    ErrorCode.EXPRESSION_LIMIT,
                    "expression '%s' produced %d bytes; the limit is %d"
                            .formatted(expression.abbreviated(), size, maxResultBytes));
        }
    }
}
