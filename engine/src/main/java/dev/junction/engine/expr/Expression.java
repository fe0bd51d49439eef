package dev.junction.engine.expr;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled JSONata expression. Compilation happens once, when a flow is parsed; evaluation is
 * thread-safe and bounded in time and recursion depth ({@link ExpressionLimits}).
 */
public final class Expression {
    /** {@code a.b.c}: identifiers joined by dots, nothing else. */
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private static final Set<String> RESERVED = Set.of("and", "or", "in", "true", "false", "null", "function");

    private final String source;
    private final Jsonata compiled;
    /** The field names of a plain path expression, or null: most templates are such paths. */
    private final String[] path;

    private Expression(String source, Jsonata compiled) {
        this.source = source;
        this.compiled = compiled;
        this.path = plainPath(source.strip());
    }

    private static String[] plainPath(String text) {
        if (!PLAIN_PATH.matcher(text).matches()) {
            return null;
        }
        String[] names = text.split("\\.");
        for (String n : names) {
            if (RESERVED.contains(n)) {
                return null;
            }
        }
        return names;
    }

    /**
     * Compiles {@code source}.
     *
     * @throws ExpressionSyntaxException with the offending position when the text is not JSONata
     */
    public static Expression compile(String source) {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new ExpressionSyntaxException("the expression is empty", 0);
        }
        try {
            Jsonata compiled = Jsonata.jsonata(source);
            // evaluation contexts hold only JSON values (maps, lists, strings, numbers, booleans,
            // null): the library's walk over the whole input to check that is not needed
            compiled.setValidateInput(false);
            return new Expression(source, compiled);
        } catch (JException e) {
            throw new ExpressionSyntaxException(e.getMessage(), Math.max(0, e.getLocation()));
        } catch (RuntimeException e) {
            throw new ExpressionSyntaxException(String.valueOf(e.getMessage()), 0);
        }
    }

    public String source() {
        return source;
    }

    /**
     * Evaluates against {@code context} (the names {@code trigger}, {@code steps}, {@code vars} …)
     * and returns a plain JSON value ({@code null} for JSONata's "undefined").
     *
     * @throws JunctionException {@code EXPRESSION_ERROR} or {@code EXPRESSION_LIMIT}
     */
    public Object evaluate(Map<String, Object> context, ExpressionLimits limits) {
        if (path != null) {
            Object fast = walk(context);
            if (fast != NOT_PLAIN) {
                Object plain = Json.plain(fast);
                limits.checkSize(plain, this);
                return plain;
            }
        }
        var frame = compiled.createFrame();
        frame.setRuntimeBounds(limits.timeout().toMillis(), limits.maxDepth());
        Object result;
        Jsonata scratch = JsonataScratch.lend();
        try {
            result = compiled.evaluate(context, frame);
        } catch (JException e) {
            throw failure(e.getError(), e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new JunctionException(
                    ErrorCode.EXPRESSION_LIMIT, "expression '%s' recursed too deeply".formatted(abbreviated()));
        } catch (RuntimeException e) {
            throw new JunctionException(
                    ErrorCode.EXPRESSION_ERROR,
                    "expression '%s' failed: %s".formatted(abbreviated(), e.getMessage()),
                    e);
        } finally {
            JsonataScratch.giveBack(scratch);
        }
        Object plain = Json.plain(result);
        limits.checkSize(plain, this);
        return plain;
    }

    private static final Object NOT_PLAIN = new Object();

    /**
     * Evaluates a plain path by looking the names up in nested objects, as JSONata does, as long
     * as every step is an object and the value found is not an array (JSONata's sequence rules
     * apply to arrays); otherwise {@code NOT_PLAIN}, and JSONata evaluates it.
     */
    private Object walk(Map<String, Object> context) {
        Object current = context;
        for (String name : path) {
            if (current == null) {
                return null; // JSONata: undefined
            }
            if (!(current instanceof Map<?, ?> map)) {
                return NOT_PLAIN;
            }
            current = map.get(name);
        }
        return current instanceof List<?> ? NOT_PLAIN : current;
    }

    private JunctionException failure(String jsonataCode, String message, JException cause) {
        // jsonata-java reports its runtime bounds as U1001/U1002 or by these messages, depending on the path
        String text = String.valueOf(message) + " " + jsonataCode;
        if (text.contains("U1001")
                || text.contains("U1002")
                || text.contains("evaluation timeout")
                || text.contains("Stack overflow")) {
            return new JunctionException(
                    ErrorCode.EXPRESSION_LIMIT,
                    "expression '%s' exceeded its budget: %s".formatted(abbreviated(), message),
                    cause);
        }
        return new JunctionException(
                ErrorCode.EXPRESSION_ERROR, "expression '%s' failed: %s".formatted(abbreviated(), message), cause);
    }

    String abbreviated() {
        String oneLine = source.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    @Override
    public String toString() {
        return source;
    }
}
