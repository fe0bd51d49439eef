package dev.junction.server.api;

import dev.junction.server.security.Permissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * {@code GET /api/openapi.json}: an OpenAPI 3.1 document of every route the server maps, generated
 * from its own request mappings (so it cannot miss a route), each operation with its path
 * parameters, what it does and the least role it needs ({@code x-junction-least-role}, from {@link
 * Permissions}). Public: it describes, it grants nothing.
 */
@RestController
class OpenApiController {
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/]+)}");

    private final RequestMappingHandlerMapping mappings;

    OpenApiController(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    @GetMapping(value = "/api/openapi.json", produces = "application/json")
    Map<String, Object> document() {
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/v1/")
                        && !pattern.startsWith("/auth/")
                        && !pattern.startsWith("/oauth/")
                        && !pattern.startsWith("/hooks/")) {
                    continue;
                }
                String path = pattern.replace("/**", "/{path}");
                for (RequestMethod method :
                        info.getMethodsCondition().getMethods().isEmpty()
                                ? List.of(RequestMethod.POST)
                                : info.getMethodsCondition().getMethods()) {
                    paths.computeIfAbsent(path, p -> new TreeMap<>())
                            .put(
                                    method.name().toLowerCase(java.util.Locale.ROOT),
                                    operation(method.name(), pattern, path));
                }
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put(
                "info",
                Map.of(
                        "title", "Junction API",
                        "version", "v1",
                        "description",
                                "Flows, runs, connections, secrets, keys, users and the audit log. Errors are"
                                        + " application/problem+json with a stable 'code'."));
        doc.put("paths", paths);
        doc.put(
                "components",
                Map.of(
                        "securitySchemes",
                        Map.of(
                                "apiKey",
                                        Map.of(
                                                "type",
                                                "http",
                                                "scheme",
                                                "bearer",
                                                "description",
                                                "Authorization: Bearer jct_..."),
                                "session", Map.of("type", "apiKey", "in", "cookie", "name", "junction_session"))));
        return doc;
    }

    private static Map<String, Object> operation(String method, String pattern, String path) {
        Map<String, Object> op = new LinkedHashMap<>();
        boolean api = pattern.startsWith("/api/v1/");
        Permissions.of(method, pattern).ifPresent(rule -> {
            op.put("summary", rule.what());
            op.put("x-junction-least-role", rule.least().id());
        });
        if (!op.containsKey("summary")) {
            op.put("summary", api ? "(no permission rule: refused to everyone)" : "public");
        }
        op.put("operationId", (method + path).replaceAll("[^A-Za-z0-9]+", "_"));
        List<Map<String, Object>> parameters = new ArrayList<>();
        Matcher m = VARIABLE.matcher(path);
        while (m.find()) {
            parameters.add(
                    Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        op.put("security", api ? List.of(Map.of("apiKey", List.of()), Map.of("session", List.of())) : List.of());
        op.put(
                "responses",
                Map.of(
                        "default",
                        Map.of(
                                "description",
                                "the answer, or a problem detail (application/problem+json) with a stable code")));
        return op;
    }
}
