package dev.junction.engine.expr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A value from a flow definition that may contain {@code {{ … }}} templates at any depth.
 *
 * <p>The rules of FLOWS.md: a string that is exactly one {@code {{ expr }}} evaluates to the
 * expression's JSON value, keeping its type; a string with text around or between templates
 * renders each template as text (strings as themselves, other values as JSON); strings without
 * braces, numbers, booleans and null are literals. Objects and arrays are templates of their
 * members. Immutable and thread-safe.
 */
public sealed interface Template {

    /** Evaluates the template against {@code context}; the result is a plain JSON value. */
    Object render(Map<String, Object> context, ExpressionLimits limits);

    /** The expressions this template contains, for static checks. */
    List<Expression> expressions();

    /** Compiles a value read from a definition. @throws ExpressionSyntaxException on bad JSONata */
    static Template of(Object value) {
        return switch (value) {
            case null -> new Literal(null);
            case String s -> ofString(s);
            case Map<?, ?> map -> {
                Map<String, Template> members = new LinkedHashMap<>();
                map.forEach((k, v) -> members.put(String.valueOf(k), of(v)));
                yield new ObjectTemplate(members);
            }
            case List<?> list ->
                new ArrayTemplate(list.stream().map(Template::of).toList());
            default -> new Literal(value);
        };
    }

    private static Template ofString(String text) {
        List<Object> parts = TemplateScanner.split(text);
        if (parts.size() == 1 && parts.getFirst() instanceof Expression whole) {
            return new Whole(whole);
        }
        if (parts.stream().noneMatch(p -> p instanceof Expression)) {
            return new Literal(text);
        }
        return new Interpolated(parts);
    }

    /** A value without templates. */
    record Literal(Object value) implements Template {
        @Override
        public Object render(Map<String, Object> context, ExpressionLimits limits) {
            return value;
        }

        @Override
        public List<Expression> expressions() {
            return List.of();
        }
    }

    /** {@code "{{ expr }}"}: the expression's value with its JSON type. */
    record Whole(Expression expression) implements Template {
        @Override
        public Object render(Map<String, Object> context, ExpressionLimits limits) {
            return expression.evaluate(context, limits);
        }

        @Override
        public List<Expression> expressions() {
            return List.of(expression);
        }
    }

    /** Text with templates inside: always renders to a string. */
    record Interpolated(List<Object> parts) implements Template {
        public Interpolated {
            parts = List.copyOf(parts);
        }

        @Override
        public Object render(Map<String, Object> context, ExpressionLimits limits) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Expression e) {
                    text.append(asText(e.evaluate(context, limits)));
                } else {
                    text.append((String) part);
                }
            }
            return text.toString();
        }

        private static String asText(Object value) {
            return switch (value) {
                case null -> "";
                case String s -> s;
                case Number n -> dev.junction.engine.json.Json.write(n);
                case Boolean b -> b.toString();
                default -> dev.junction.engine.json.Json.write(value);
            };
        }

        @Override
        public List<Expression> expressions() {
            return parts.stream()
                    .filter(Expression.class::isInstance)
                    .map(Expression.class::cast)
                    .toList();
        }
    }

    record ObjectTemplate(Map<String, Template> members) implements Template {
        @Override
        public Object render(Map<String, Object> context, ExpressionLimits limits) {
            Map<String, Object> out = new LinkedHashMap<>();
            members.forEach((k, v) -> out.put(k, v.render(context, limits)));
            return out;
        }

        @Override
        public List<Expression> expressions() {
            return collect(members.values(), Template::expressions);
        }
    }

    record ArrayTemplate(List<Template> items) implements Template {
        public ArrayTemplate {
            items = List.copyOf(items);
        }

        @Override
        public Object render(Map<String, Object> context, ExpressionLimits limits) {
            List<Object> out = new ArrayList<>(items.size());
            for (Template item : items) {
                out.add(item.render(context, limits));
            }
            return out;
        }

        @Override
        public List<Expression> expressions() {
            return collect(items, Template::expressions);
        }
    }

    private static List<Expression> collect(Iterable<Template> templates, Function<Template, List<Expression>> of) {
        List<Expression> all = new ArrayList<>();
        templates.forEach(t -> all.addAll(of.apply(t)));
        return all;
    }
}
