package dev.junction.connector.openapi;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.json.Json;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads an OpenAPI document's text, JSON or YAML, into plain JSON-like values. Thread-safe. */
final class DocumentReader {
    /** Large public documents (cloud providers, payment APIs) run to several megabytes. */
    static final int MAX_CHARS = 32 * 1024 * 1024;

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .loadSettings(LoadSettings.builder()
                            .setCodePointLimit(MAX_CHARS)
                            .setMaxAliasesForCollections(50)
                            .setAllowDuplicateKeys(false)
                            .build())
                    .build())
            .build();

    private DocumentReader() {}

    /**
     * The document as a map.
     *
     * @param where names the source in messages, e.g. {@code config.document}
     * @throws ConnectorException {@code CONFIG_INVALID} when it is neither JSON nor YAML, or not an object
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String text, String where) throws ConnectorException {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (t.isBlank()) {
            throw invalid(where + " is empty");
        }
        if (t.length() > MAX_CHARS) {
            throw invalid("%s is larger than %d characters".formatted(where, MAX_CHARS));
        }
        boolean json = t.stripLeading().startsWith("{");
        Object tree;
        try {
            tree = json ? Json.read(t) : YAML.readValue(t, Object.class);
        } catch (JacksonException e) {
            throw invalid("%s is not valid %s%s: %s"
                    .formatted(
                            where,
                            json ? "JSON" : "YAML (or JSON)",
                            at(e.getLocation()),
                            oneLine(e.getOriginalMessage())));
        } catch (RuntimeException e) { // snakeyaml-engine's own limits
            throw invalid("%s is not valid YAML: %s".formatted(where, e.getMessage()));
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw invalid("%s is not a JSON or YAML object but %s; an OpenAPI document starts with 'openapi: 3.x'"
                    .formatted(where, tree == null ? "empty" : tree instanceof String ? "text" : Json.write(tree)));
        }
        return (Map<String, Object>) tree;
    }

    /**
     * The parser's message without its excerpts of the text ({@code  in reader, line 4...} and a caret
     * line), which repeat the line and column given already: one line fit for an API answer.
     */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\\R")) {
            if (line.isBlank()
                    || Character.isWhitespace(line.charAt(0))
                    || line.strip().equals("^")) {
                continue;
            }
            out.append(out.isEmpty() ? "" : "; ").append(line.strip());
        }
        return out.isEmpty() ? message.strip() : out.toString();
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line %d, column %d)".formatted(location.getLineNr(), location.getColumnNr());
    }

    static ConnectorException invalid(String message) {
        return new ConnectorException("CONFIG_INVALID", message, false);
    }
}
