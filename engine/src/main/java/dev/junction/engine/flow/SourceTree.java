package dev.junction.engine.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A definition's text read into plain JSON values, remembering where each value started so that
 * problems can name a line and column. Paths look like {@code steps[1].retry.maxAttempts}.
 */
final class SourceTree {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Object root;
    private final Map<String, Location> locations;

    private SourceTree(Object root, Map<String, Location> locations) {
        this.root = root;
        this.locations = locations;
    }

    Object root() {
        return root;
    }

    /** Where the value at {@code path} starts, or the nearest enclosing value's start. */
    Location locate(String path) {
        String p = path;
        while (true) {
            Location l = locations.get(p);
            if (l != null || p.isEmpty()) {
                return l == null ? Location.UNKNOWN : l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    /**
     * Reads {@code text}.
     *
     * @throws FlowInvalidException for malformed text, duplicate keys, or an empty document
     */
    static SourceTree read(String text, SourceFormat format) {
        List<FlowProblem> problems = new ArrayList<>();
        Map<String, Location> locations = new HashMap<>();
        try (JsonParser parser = format == SourceFormat.YAML ? YAML.createParser(text) : JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new FlowInvalidException(List.of(new FlowProblem(
                        "", 1, 1, "the definition is empty", "a flow object with id, trigger and steps")));
            }
            Object root = readValue(parser, "", locations, problems);
            if (format == SourceFormat.JSON && parser.nextToken() != null) {
                Location l = location(parser.currentTokenLocation());
                problems.add(new FlowProblem(
                        "",
                        l.line(),
                        l.column(),
                        "unexpected content after the end of the JSON document",
                        "end of input"));
            }
            if (!problems.isEmpty()) {
                throw new FlowInvalidException(problems);
            }
            return new SourceTree(root, locations);
        } catch (JacksonException e) {
            TokenStreamLocation where = e.getLocation();
            Location l = where == null ? Location.UNKNOWN : location(where);
            String kind = format == SourceFormat.YAML ? "YAML" : "JSON";
            throw new FlowInvalidException(List.of(new FlowProblem(
                    "",
                    l.line(),
                    l.column(),
                    "malformed " + kind + ": " + firstLine(e.getOriginalMessage()),
                    "well-formed " + kind)));
        }
    }

    private static Object readValue(
            JsonParser parser, String path, Map<String, Location> locations, List<FlowProblem> problems) {
        locations.put(path, location(parser.currentTokenLocation()));
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = parser.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    Location keyAt = location(parser.currentTokenLocation());
                    parser.nextToken();
                    Object value = readValue(parser, child, locations, problems);
                    locations.put(child, keyAt);
                    if (map.containsKey(key)) {
                        problems.add(new FlowProblem(
                                child, keyAt.line(), keyAt.column(), "duplicate key '" + key + "'", "each key once"));
                    }
                    map.put(key, value);
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, path + "[" + list.size() + "]", locations, problems));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> parser.getString();
        };
    }

    private static Location location(TokenStreamLocation l) {
        return new Location(Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
