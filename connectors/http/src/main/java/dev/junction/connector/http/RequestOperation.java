package dev.junction.connector.http;

import dev.junction.engine.connector.Bodies;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.json.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code request} operation: input {@code {method, path, query, headers, body, bodyType,
 * acceptStatus, paginate}}. With {@code paginate} it follows pages ({@code style}: {@code link} — RFC
 * 8288 {@code rel="next"}; {@code cursor} — {@code cursorPath} in the body, sent back as
 * {@code cursorParam}; {@code page} — {@code pageParam} from {@code startPage} until an empty page)
 * and answers {@code {status, pages, items, truncated}}, items taken from {@code itemsPath} (a dot
 * path; default: the body when it is an array), at most {@code maxPages} (100) pages.
 */
final class RequestOperation {
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final int DEFAULT_MAX_PAGES = 100;
    private static final Pattern NEXT_LINK =
            Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> BODY_TYPES = Map.of(
            "json", "application/json",
            "form", "application/x-www-form-urlencoded",
            "multipart", "multipart/form-data",
            "text", "text/plain; charset=utf-8");

    static final Map<String, Object> INPUT_SCHEMA = Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                    "method",
                    Map.of("type", "string", "enum", List.copyOf(METHODS)),
                    "path",
                    Map.of("type", "string", "description", "relative to baseUrl, or an absolute URL"),
                    "query",
                    Map.of("type", "object"),
                    "headers",
                    Map.of("type", "object"),
                    "body",
                    Map.of("description", "JSON value, form fields or text"),
                    "bodyType",
                    Map.of("type", "string", "enum", List.of("json", "form", "multipart", "text")),
                    "acceptStatus",
                    Map.of("type", "array", "items", Map.of("type", "integer")),
                    "paginate",
                    Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of(
                                    "style", Map.of("type", "string", "enum", List.of("link", "cursor", "page")),
                                    "itemsPath", Map.of("type", "string"),
                                    "maxPages", Map.of("type", "integer", "minimum", 1),
                                    "cursorPath", Map.of("type", "string"),
                                    "cursorParam", Map.of("type", "string"),
                                    "pageParam", Map.of("type", "string"),
                                    "startPage", Map.of("type", "integer"),
                                    "sizeParam", Map.of("type", "string"),
                                    "size", Map.of("type", "integer")))));

    private final OutboundHttp http;
    private final Map<String, String> defaultHeaders;
    private final Clock clock;

    RequestOperation(OutboundHttp http, Map<String, String> defaultHeaders, Clock clock) {
        this.http = http;
        this.defaultHeaders = defaultHeaders;
        this.clock = clock;
    }

    Object perform(Object rawInput, CallContext call) throws ConnectorException {
        Map<?, ?> in = rawInput == null ? Map.of() : rawInput instanceof Map<?, ?> m ? m : null;
        if (in == null) {
            throw invalid("input", "the input must be an object such as {\"path\": \"orders\"}");
        }
        String method = text(in, "method", "GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw invalid("method", "'" + method + "' is not an HTTP method; one of " + METHODS);
        }
        String path = text(in, "path", "");
        Map<String, String> query = strings(in.get("query"), "query");
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        headers.putAll(strings(in.get("headers"), "headers"));
        String bodyType = in.get("bodyType") == null ? null : String.valueOf(in.get("bodyType"));
        if (bodyType != null && !BODY_TYPES.containsKey(bodyType)) {
            throw invalid("bodyType", "'bodyType' must be json, form, multipart or text");
        }
        String contentType = header(headers, "content-type");
        if (contentType == null && bodyType != null) {
            contentType = BODY_TYPES.get(bodyType);
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-type")); // the body carries the boundary
        }
        if (header(headers, "idempotency-key") == null && call.idempotencyKey() != null) {
            headers.put("Idempotency-Key", call.idempotencyKey());
        }
        OutboundHttp.Body body = Bodies.encode(in.get("body"), contentType);
        List<Integer> accept = accept(in.get("acceptStatus"));
        OutboundHttp.Request first = new OutboundHttp.Request(method, path, headers, query, body, call.timeout());
        if (in.get("paginate") == null) {
            return checked(first, accept).toOutput();
        }
        if (!(in.get("paginate") instanceof Map<?, ?> paginate)) {
            throw invalid("paginate", "'paginate' must be an object such as {\"style\": \"link\"}");
        }
        return paginate(first, accept, paginate);
    }

    private Map<String, Object> paginate(OutboundHttp.Request first, List<Integer> accept, Map<?, ?> p)
            throws ConnectorException {
        String style = text(p, "style", null);
        if (style == null || !List.of("link", "cursor", "page").contains(style)) {
            throw invalid("paginate.style", "'paginate.style' must be link, cursor or page");
        }
        int maxPages = integer(p, "maxPages", DEFAULT_MAX_PAGES);
        String itemsPath = text(p, "itemsPath", null);
        String cursorPath = text(p, "cursorPath", null);
        String cursorParam = text(p, "cursorParam", "cursor");
        String pageParam = text(p, "pageParam", "page");
        int page = integer(p, "startPage", 1);
        if (style.equals("cursor") && cursorPath == null) {
            throw invalid("paginate.cursorPath", "'paginate.cursorPath' is required for cursor pagination");
        }
        OutboundHttp.Request request = first;
        if (style.equals("page")) {
            request = request.withQuery(pageParam, String.valueOf(page));
            if (p.get("sizeParam") != null) {
                request =
                        request.withQuery(String.valueOf(p.get("sizeParam")), String.valueOf(integer(p, "size", 100)));
            }
        }
        List<Object> items = new ArrayList<>();
        int pages = 0;
        int status = 0;
        boolean truncated = false;
        while (true) {
            OutboundHttp.Response r = checked(request, accept);
            pages++;
            status = r.status();
            Object value = r.value();
            List<?> pageItems = items(value, itemsPath);
            items.addAll(pageItems);
            String next = null;
            switch (style) {
                case "link" -> next = nextLink(r.header("link"));
                case "cursor" -> {
                    Object cursor = at(value, cursorPath);
                    if (cursor != null && !String.valueOf(cursor).isEmpty()) {
                        request = request.withQuery(cursorParam, String.valueOf(cursor));
                        next = "";
                    }
                }
                default -> {
                    if (!pageItems.isEmpty()) {
                        page++;
                        request = request.withQuery(pageParam, String.valueOf(page));
                        next = "";
                    }
                }
            }
            if (next == null) {
                break;
            }
            if (pages >= maxPages) {
                truncated = true;
                break;
            }
            if (!next.isEmpty()) {
                request = new OutboundHttp.Request(
                        "GET", next, first.headers(), Map.of(), null, first.timeout()); // the link carries the query
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("pages", pages);
        out.put("items", items);
        out.put("truncated", truncated);
        return out;
    }

    private OutboundHttp.Response checked(OutboundHttp.Request request, List<Integer> accept)
            throws ConnectorException {
        OutboundHttp.Response r = http.send(request);
        boolean ok = accept.isEmpty() ? r.status() >= 200 && r.status() < 300 : accept.contains(r.status());
        if (!ok) {
            throw StatusErrors.of(request.method(), request.url(), r, clock);
        }
        return r;
    }

    static String nextLink(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = NEXT_LINK.matcher(header);
        return m.find() ? m.group(1) : null;
    }

    private static List<?> items(Object body, String itemsPath) throws ConnectorException {
        Object value = itemsPath == null ? body : at(body, itemsPath);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw new ConnectorException(
                "STEP_FAILED",
                "paginate.itemsPath '%s' does not point at an array in the answer"
                        .formatted(itemsPath == null ? "(the body)" : itemsPath),
                false);
    }

    /** The value at a dot path such as {@code data.items} or {@code meta.next}; null when absent. */
    static Object at(Object value, String path) {
        Object current = value;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(part);
        }
        return current;
    }

    private static List<Integer> accept(Object value) throws ConnectorException {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l && l.stream().allMatch(v -> v instanceof Integer)) {
            return l.stream().map(v -> (Integer) v).toList();
        }
        throw invalid("acceptStatus", "'acceptStatus' must be a list of status codes such as [200, 404]");
    }

    private static Map<String, String> strings(Object value, String field) throws ConnectorException {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw invalid(field, "'%s' must be an object of name to value".formatted(field));
        }
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(String.valueOf(k), v instanceof String s ? s : Json.write(v));
            }
        });
        return out;
    }

    private static String header(Map<String, String> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String text(Map<?, ?> in, String field, String fallback) throws ConnectorException {
        Object v = in.get(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw invalid(field, "'%s' must be text".formatted(field));
        }
        return s;
    }

    private static int integer(Map<?, ?> in, String field, int fallback) throws ConnectorException {
        Object v = in.get(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Integer n) || n < 0) {
            throw invalid("paginate." + field, "'paginate.%s' must be a whole number".formatted(field));
        }
        return n;
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectorException("INPUT_INVALID", "input." + field + ": " + message, false);
    }
}
