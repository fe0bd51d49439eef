package dev.junction.connector.openapi;

import dev.junction.engine.connector.ConnectorException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Local references ({@code #/components/...}) inside one OpenAPI document. Only references inside
 * the document are supported; a reference to another file or URL is refused with {@code
 * CONFIG_INVALID}, as are references that point at nothing and chains that loop. Thread-safe
 * (reads an immutable tree).
 */
final class Refs {
    private static final int MAX_HOPS = 32;

    private final Map<String, Object> document;
    private final String where;

    /** {@code where} names the document in messages, e.g. {@code config.document}. */
    Refs(Map<String, Object> document, String where) {
        this.document = document;
        this.where = where;
    }

    String where() {
        return where;
    }

    /**
     * {@code node} itself, or what its {@code $ref} (and theirs, in turn) points at: parameters,
     * request bodies, responses and path items are referenced this way.
     *
     * @param at where {@code node} sits, for messages, e.g. {@code paths./pets.get.parameters[0]}
     */
    Object follow(Object node, String at) throws ConnectorException {
        Object current = node;
        List<String> chain = new ArrayList<>();
        while (current instanceof Map<?, ?> m && m.get("$ref") != null) {
            String ref = ref(m.get("$ref"), at);
            if (chain.contains(ref)) {
                chain.add(ref);
                throw invalid("%s: $ref cycle at %s: %s".formatted(where, at, String.join(" -> ", chain)));
            }
            if (chain.size() == MAX_HOPS) {
                throw invalid("%s: $ref chain at %s is longer than %d references".formatted(where, at, MAX_HOPS));
            }
            chain.add(ref);
            current = pointer(ref, at);
        }
        return current;
    }

    /**
     * The text of a {@code $ref} value when it is local.
     *
     * @throws ConnectorException {@code CONFIG_INVALID} for external or non-text references
     */
    String ref(Object value, String at) throws ConnectorException {
        if (!(value instanceof String ref)) {
            throw invalid("%s: $ref at %s must be text, not %s".formatted(where, at, value));
        }
        if (!ref.startsWith("#")) {
            throw invalid(("%s: $ref '%s' at %s points outside the document; only references inside it"
                            + " (#/components/...) are supported — bundle the document first")
                    .formatted(where, ref, at));
        }
        return ref;
    }

    /** What the local reference {@code ref} ({@code #/a/b~1c}) points at; never null. */
    Object pointer(String ref, String at) throws ConnectorException {
        Object current = document;
        String path = ref.substring(1);
        if (path.isEmpty()) {
            return current;
        }
        if (!path.startsWith("/")) {
            throw invalid("%s: $ref '%s' at %s is not a JSON pointer such as #/components/schemas/Pet"
                    .formatted(where, ref, at));
        }
        StringBuilder walked = new StringBuilder("#");
        for (String raw : path.substring(1).split("/", -1)) {
            String token = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)
                    .replace("~1", "/")
                    .replace("~0", "~");
            Object next = null;
            if (current instanceof Map<?, ?> m) {
                next = m.get(token);
            } else if (current instanceof List<?> l && token.matches("\\d{1,9}")) {
                int i = Integer.parseInt(token);
                next = i < l.size() ? l.get(i) : null;
            }
            if (next == null) {
                throw invalid("%s: $ref '%s' at %s points at nothing: there is no '%s' in %s"
                        .formatted(where, ref, at, token, walked));
            }
            walked.append('/').append(raw);
            current = next;
        }
        return current;
    }

    static ConnectorException invalid(String message) {
        return new ConnectorException("CONFIG_INVALID", message, false);
    }
}
