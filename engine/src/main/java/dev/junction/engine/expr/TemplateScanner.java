package dev.junction.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into literal text and {@code {{ … }}} expressions. The closing {@code }}} is
 * found by tracking JSONata's own braces and string literals, so object constructors such as
 * {@code {{ {'a': {'b': 1}} }}} work.
 */
final class TemplateScanner {
    private TemplateScanner() {}

    /** Returns strings and compiled {@link Expression}s in order. */
    static List<Object> split(String text) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                literal.append(text, i, text.length());
                break;
            }
            literal.append(text, i, open);
            int close = findClose(text, open + 2);
            if (close < 0) {
                throw new ExpressionSyntaxException(
                        "'{{' at offset %d is never closed with '}}'".formatted(open), open);
            }
            if (!literal.isEmpty()) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            String source = text.substring(open + 2, close);
            try {
                parts.add(Expression.compile(source.strip()));
            } catch (ExpressionSyntaxException e) {
                int leading = source.length() - source.stripLeading().length();
                throw new ExpressionSyntaxException(e.getMessage(), open + 2 + leading + e.position());
            }
            i = close + 2;
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return parts;
    }

    private static int findClose(String text, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> quote = c;
                case '{' -> depth++;
                case '}' -> {
                    if (depth == 0 && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                        return i;
                    }
                    depth = Math.max(0, depth - 1);
                }
                default -> {}
            }
        }
        return -1;
    }
}
