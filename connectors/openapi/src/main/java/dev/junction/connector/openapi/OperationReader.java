package dev.junction.connector.openapi;

import dev.junction.connector.openapi.ApiOperation.Body;
import dev.junction.connector.openapi.ApiOperation.In;
import dev.junction.connector.openapi.ApiOperation.Param;
import dev.junction.engine.connector.ConnectorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one operation of an OpenAPI document (its parameters merged with those of its path item,
 * its request body and its success response) into an {@link ApiOperation} with self-contained
 * input and output schemas. Stateless apart from the document's {@link Refs}.
 */
final class OperationReader {
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");
    /** Header parameters OpenAPI says to ignore: the media types and the auth scheme decide them. */
    private static final Set<String> IGNORED_HEADERS = Set.of("accept", "content-type", "authorization");

    private final Refs refs;
    private final boolean openApi30;

    OperationReader(Refs refs, boolean openApi30) {
        this.refs = refs;
        this.openApi30 = openApi30;
    }

    ApiOperation read(String name, String method, String path, Map<?, ?> pathItem, Map<?, ?> op, String at)
            throws ConnectorException {
        Schemas inputs = new Schemas(refs, openApi30);
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, Map<?, ?>> p : parameters(pathItem, op, at).entrySet()) {
            Param param = param(p.getValue(), properties.keySet());
            if (param == null) {
                continue;
            }
            params.add(param);
            properties.put(param.key(), parameterSchema(inputs, p.getValue(), p.getKey()));
            if (param.required()) {
                required.add(param.key());
            }
        }
        checkTemplate(path, params, at);
        Body body = body(op, at, inputs, properties);
        if (body != null && body.required()) {
            required.add("body");
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "object");
        input.put("additionalProperties", false);
        input.put("properties", properties);
        if (!required.isEmpty()) {
            input.put("required", required);
        }
        if (!inputs.defs().isEmpty()) {
            input.put("$defs", inputs.defs());
        }
        String description = op.get("summary") instanceof String s
                ? s
                : op.get("description") instanceof String d ? d : method + " " + path;
        return new ApiOperation(name, method, path, description, params, body, input, output(op, at));
    }

    /** The parameter defined by {@code def}, keyed clear of {@code taken}; null when OpenAPI says to ignore it. */
    private static Param param(Map<?, ?> def, Set<String> taken) {
        In in = In.valueOf(String.valueOf(def.get("in")).toUpperCase(Locale.ROOT));
        String wire = String.valueOf(def.get("name"));
        if (in == In.HEADER && IGNORED_HEADERS.contains(wire.toLowerCase(Locale.ROOT))) {
            return null;
        }
        String key =
                taken.contains(wire) || wire.equals("body") ? in.name().toLowerCase(Locale.ROOT) + "." + wire : wire;
        boolean required = in == In.PATH || Boolean.TRUE.equals(def.get("required"));
        boolean formish = in == In.QUERY || in == In.COOKIE;
        String style = def.get("style") instanceof String s ? s : formish ? "form" : "simple";
        boolean explode = def.get("explode") instanceof Boolean b ? b : style.equals("form");
        return new Param(key, wire, in, required, style, explode);
    }

    /** The parameter's schema (or that of its single {@code content} media type), with its description. */
    private Object parameterSchema(Schemas inputs, Map<?, ?> def, String at) throws ConnectorException {
        Object raw = def.get("schema");
        if (raw == null && def.get("content") instanceof Map<?, ?> content && !content.isEmpty()) {
            Object media = refs.follow(content.values().iterator().next(), at + ".content");
            raw = media instanceof Map<?, ?> m ? m.get("schema") : null;
        }
        Object schema = inputs.convert(raw, at + ".schema");
        if (schema instanceof Map<?, ?> m && def.get("description") instanceof String d) {
            @SuppressWarnings("unchecked")
            Map<String, Object> described = (Map<String, Object>) m;
            described.putIfAbsent("description", d);
        }
        return schema;
    }

    /** The request body, its schema put into {@code properties} as {@code body}; null when there is none. */
    private Body body(Map<?, ?> op, String at, Schemas inputs, Map<String, Object> properties)
            throws ConnectorException {
        if (op.get("requestBody") == null) {
            return null;
        }
        String bAt = at + ".requestBody";
        Map<?, ?> rb = object(refs.follow(op.get("requestBody"), bAt), bAt);
        Map<?, ?> content = object(rb.get("content") == null ? Map.of() : rb.get("content"), bAt + ".content");
        String type = mediaType(content.keySet());
        Object media = type == null ? null : refs.follow(content.get(type), bAt + ".content." + type);
        Object schema = media instanceof Map<?, ?> mm ? mm.get("schema") : null;
        properties.put("body", inputs.convert(schema, bAt + ".content." + type + ".schema"));
        return new Body(type, Boolean.TRUE.equals(rb.get("required")));
    }

    /** Path-item parameters overridden by the operation's own (same name and location). */
    private Map<String, Map<?, ?>> parameters(Map<?, ?> pathItem, Map<?, ?> op, String at) throws ConnectorException {
        Map<String, Map<?, ?>> byKey = new LinkedHashMap<>();
        Map<String, String> locations = new LinkedHashMap<>();
        collect(pathItem.get("parameters"), at.substring(0, at.lastIndexOf('.')) + ".parameters", byKey, locations);
        collect(op.get("parameters"), at + ".parameters", byKey, locations);
        Map<String, Map<?, ?>> out = new LinkedHashMap<>();
        byKey.forEach((k, v) -> out.put(locations.get(k), v));
        return out;
    }

    private void collect(Object list, String at, Map<String, Map<?, ?>> byKey, Map<String, String> locations)
            throws ConnectorException {
        if (list == null) {
            return;
        }
        if (!(list instanceof List<?> l)) {
            throw Refs.invalid("%s: %s must be a list of parameters".formatted(refs.where(), at));
        }
        for (int i = 0; i < l.size(); i++) {
            String pAt = at + "[" + i + "]";
            Map<?, ?> p = object(refs.follow(l.get(i), pAt), pAt);
            if (l.get(i) instanceof Map<?, ?> r && r.get("$ref") != null) {
                pAt += " (" + r.get("$ref") + ")";
            }
            if (!(p.get("name") instanceof String name) || name.isBlank()) {
                throw Refs.invalid("%s: %s has no 'name'".formatted(refs.where(), pAt));
            }
            String in = String.valueOf(p.get("in"));
            if (!List.of("path", "query", "header", "cookie").contains(in)) {
                throw Refs.invalid("%s: %s ('%s') has 'in: %s'; expected path, query, header or cookie"
                        .formatted(refs.where(), pAt, name, p.get("in")));
            }
            String key = in + ":" + name;
            byKey.remove(key); // re-insert: the operation's definition wins
            byKey.put(key, p);
            locations.put(key, pAt);
        }
    }

    private void checkTemplate(String path, List<Param> params, String at) throws ConnectorException {
        Matcher m = TEMPLATE.matcher(path);
        Set<String> named = new LinkedHashSet<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        for (String name : named) {
            if (params.stream().noneMatch(p -> p.in() == In.PATH && p.name().equals(name))) {
                throw Refs.invalid("%s: %s: the path names {%s} but no path parameter '%s' is declared"
                        .formatted(refs.where(), at, name, name));
            }
        }
        for (Param p : params) {
            if (p.in() == In.PATH && !named.contains(p.name())) {
                throw Refs.invalid("%s: %s: path parameter '%s' does not appear in the path %s"
                        .formatted(refs.where(), at, p.name(), path));
            }
        }
    }

    /** JSON first, then form, multipart and text; else the first media type listed. */
    static String mediaType(Set<?> types) {
        List<String> all = types.stream().map(String::valueOf).toList();
        for (String preferred : List.of("application/json", "json", "application/x-www-form-urlencoded")) {
            for (String t : all) {
                if (t.toLowerCase(Locale.ROOT).contains(preferred)) {
                    return t;
                }
            }
        }
        for (String preferred : List.of("multipart/form-data", "text/")) {
            for (String t : all) {
                if (t.toLowerCase(Locale.ROOT).startsWith(preferred)) {
                    return t;
                }
            }
        }
        return all.isEmpty() ? null : all.getFirst();
    }

    /** {@code {status, headers, body}}, body described by the first success response's schema. */
    private Map<String, Object> output(Map<?, ?> op, String at) throws ConnectorException {
        Schemas outputs = new Schemas(refs, openApi30);
        Object body = Map.of();
        if (op.get("responses") instanceof Map<?, ?> responses) {
            Map<String, Object> sorted = new TreeMap<>();
            responses.forEach((k, v) -> sorted.put(String.valueOf(k).toUpperCase(Locale.ROOT), v));
            for (var e : sorted.entrySet()) {
                if (e.getKey().startsWith("2")) {
                    String rAt = at + ".responses." + e.getKey();
                    Object r = refs.follow(e.getValue(), rAt);
                    if (r instanceof Map<?, ?> rm && rm.get("content") instanceof Map<?, ?> content) {
                        String type = mediaType(content.keySet());
                        Object media = type == null ? null : refs.follow(content.get(type), rAt);
                        body = outputs.convert(media instanceof Map<?, ?> mm ? mm.get("schema") : null, rAt);
                    }
                    break;
                }
            }
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("status", Map.of("type", "integer"));
        properties.put("headers", Map.of("type", "object", "additionalProperties", Map.of("type", "string")));
        properties.put("body", body);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        out.put("properties", properties);
        if (!outputs.defs().isEmpty()) {
            out.put("$defs", outputs.defs());
        }
        return out;
    }

    private Map<?, ?> object(Object value, String at) throws ConnectorException {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw Refs.invalid("%s: %s must be an object, not %s".formatted(refs.where(), at, value));
    }
}
