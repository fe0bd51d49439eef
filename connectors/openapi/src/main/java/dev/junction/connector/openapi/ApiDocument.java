package dev.junction.connector.openapi;

import dev.junction.engine.connector.ConnectorException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An OpenAPI 3.0 or 3.1 document read into its operations, by name. A name is the operation's
 * {@code operationId}, or {@code <method>_<path>} (e.g. {@code get_/pets/{petId}}) when it has none;
 * two operations with the same name make the document invalid. Immutable.
 */
record ApiDocument(String version, String title, Map<String, ApiOperation> operations) {
    static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    ApiDocument {
        operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
    }

    /**
     * Reads {@code document}.
     *
     * @param where names the document in messages ({@code config.document}, or its URL)
     * @throws ConnectorException {@code CONFIG_INVALID} naming what is wrong and where
     */
    static ApiDocument read(Map<String, Object> document, String where) throws ConnectorException {
        String version = version(document, where);
        Refs refs = new Refs(document, where);
        OperationReader reader = new OperationReader(refs, version.startsWith("3.0"));
        if (!(document.get("paths") instanceof Map<?, ?> paths)) {
            throw Refs.invalid(
                    document.get("paths") == null
                            ? "%s has no 'paths', so it offers no operations to call".formatted(where)
                            : "%s: 'paths' must be an object of path to operations, not %s"
                                    .formatted(where, document.get("paths")));
        }
        Map<String, ApiOperation> operations = new LinkedHashMap<>();
        Map<String, String> locations = new LinkedHashMap<>();
        for (var p : paths.entrySet()) {
            String path = String.valueOf(p.getKey());
            String pAt = "paths." + path;
            if (!path.startsWith("/")) {
                throw Refs.invalid("%s: path '%s' must start with '/'".formatted(where, path));
            }
            if (!(refs.follow(p.getValue(), pAt) instanceof Map<?, ?> item)) {
                throw Refs.invalid("%s: %s must be an object of operations".formatted(where, pAt));
            }
            for (String method : METHODS) {
                if (item.get(method) == null) {
                    continue;
                }
                String at = pAt + "." + method;
                if (!(item.get(method) instanceof Map<?, ?> op)) {
                    throw Refs.invalid("%s: %s must be an operation object".formatted(where, at));
                }
                String name = op.get("operationId") instanceof String id && !id.isBlank() ? id : method + "_" + path;
                String upper = method.toUpperCase(Locale.ROOT);
                if (locations.containsKey(name)) {
                    throw Refs.invalid("%s: operationId '%s' is used by both %s and %s %s; operationIds must be unique"
                            .formatted(where, name, locations.get(name), upper, path));
                }
                locations.put(name, upper + " " + path);
                operations.put(name, reader.read(name, upper, path, item, op, at));
            }
        }
        if (operations.isEmpty()) {
            throw Refs.invalid("%s: 'paths' holds no operations (get, post, put, patch, delete, ...)".formatted(where));
        }
        String title =
                document.get("info") instanceof Map<?, ?> info && info.get("title") instanceof String t ? t : null;
        return new ApiDocument(version, title, operations);
    }

    /** "3.0.3" or "3.1.0"; anything else (Swagger 2.0, no version, 3.2) is refused with what was found. */
    private static String version(Map<String, Object> document, String where) throws ConnectorException {
        Object openapi = document.get("openapi");
        if (openapi == null) {
            if (document.get("swagger") != null) {
                throw Refs.invalid(("%s is a Swagger / OpenAPI 2.0 document (swagger: '%s'); only OpenAPI 3.0 and"
                                + " 3.1 are supported: convert it first (e.g. with swagger2openapi)")
                        .formatted(where, document.get("swagger")));
            }
            String fields = document.keySet().stream().limit(8).collect(Collectors.joining(", "));
            throw Refs.invalid(("%s is not an OpenAPI document: it has no 'openapi' field (found: %s); an OpenAPI"
                            + " document starts with 'openapi: 3.0.3' or 'openapi: 3.1.0'")
                    .formatted(where, fields.isEmpty() ? "nothing" : fields));
        }
        String version = String.valueOf(openapi);
        if (!version.matches("3\\.[01](\\.\\d+.*)?")) {
            throw Refs.invalid(
                    "%s declares 'openapi: %s'; only OpenAPI 3.0.x and 3.1.x are supported".formatted(where, version));
        }
        return version;
    }

    /** Up to {@code n} operation names, for messages. */
    List<String> someNames(int n) {
        return new ArrayList<>(operations.keySet()).subList(0, Math.min(n, operations.size()));
    }
}
