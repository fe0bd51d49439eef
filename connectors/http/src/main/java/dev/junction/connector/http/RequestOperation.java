package dev.junction.connector.http;

import dev.junction.engine.connector.Bodies;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code request} operation: input {@code {method, path, query, headers, body, bodyType,
 * acceptStatus, paginate}} (schema: {@code request.input.schema.json}). With {@code paginate} it
 * follows pages ({@code style}: {@code link} — RFC 8288 {@code rel="next"}, resolved against the
 * page's URL; {@code cursor} — {@code cursorPath} in the body, sent back as {@code cursorParam},
 * until it is absent, empty or repeats; {@code page} — {@code pageParam} from {@code startPage}
 * until an empty page) and answers {@code {status, pages, items, truncated}}, items taken from
 * {@code itemsPath} (a dot path; default: the body when it is an array), at most {@code maxPages}
 * (100) pages, all within the call's timeout.
 */
final class RequestOperation {
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final int DEFAULT_MAX_PAGES = 100;
    static final Map<String, Object> INPUT_SCHEMA =
            JsonResources.object(RequestOperation.class, "request.input.schema.json");
    static final Map<String, Object> OUTPUT_SCHEMA =
            JsonResources.object(RequestOperation.class, "request.output.schema.json");
    private static final InputSchema CHECK = InputSchema.of(INPUT_SCHEMA);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern REL =
            Pattern.compile("(?:^|;)\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS_CLASS = Pattern.compile("([1-5])[xX]{2}");
    private static final Pattern STATUS_RANGE = Pattern.compile("([1-5][0-9]{2})-([1-5][0-9]{2})");
    private static final Map<String, String> BODY_TYPES = Map.of(
            "json", "application/json",
            "form", "application/x-www-form-urlencoded",
            "multipart", "multipart/form-data",
            "text", "text/plain; charset=utf-8");

    private final OutboundHttp http;
    private final Map<String, String> defaultHeaders;
    private final Clock clock;
    private final URI base;

    /** {@code baseUrl} (may be null) resolves relative {@code Link} targets as the client does. */
    RequestOperation(OutboundHttp http, Map<String, String> defaultHeaders, Clock clock, String baseUrl) {
        this.http = http;
        this.defaultHeaders = defaultHeaders;
        this.clock = clock;
        this.base = baseUri(baseUrl);
    }

    Object perform(Object rawInput, CallContext call) throws ConnectorException {
        if (rawInput != null && !(rawInput instanceof Map<?, ?>)) {
            throw invalid("input", "the input must be an object such as {\"path\": \"orders\"}");
        }
        Map<String, Object> in = new LinkedHashMap<>();
        if (rawInput instanceof Map<?, ?> m) {
            m.forEach((k, v) -> in.put(String.valueOf(k), v));
        }
        if (in.get("method") instanceof String s) {
            in.put("method", s.strip().toUpperCase(Locale.ROOT));
        }
        CHECK.check(in, "input of operation 'request'");
        String method = text(in, "method", "GET");
        String path = text(in, "path", "");
        Map<String, String> query = new LinkedHashMap<>();
        path = withRepeatedParams(path, query, in.get("query"));
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        strings(in.get("headers"), "headers").forEach((k, v) -> {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
            headers.put(k, v);
        });
        String bodyType = text(in, "bodyType", null);
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
        List<int[]> accept = accept(in.get("acceptStatus"));
        Duration timeout = call.timeout() == null ? DEFAULT_TIMEOUT : call.timeout();
        OutboundHttp.Request first = new OutboundHttp.Request(method, path, headers, query, body, timeout);
        if (in.get("paginate") == null) {
            return checked(first, accept).toOutput();
        }
        return paginate(first, accept, (Map<?, ?>) in.get("paginate"), timeout);
    }

    private Map<String, Object> paginate(OutboundHttp.Request first, List<int[]> accept, Map<?, ?> p, Duration timeout)
            throws ConnectorException {
        String style = text(p, "style", null);
        int maxPages = integer(p, "maxPages", DEFAULT_MAX_PAGES, 1);
        String itemsPath = text(p, "itemsPath", null);
        String cursorPath = text(p, "cursorPath", null);
        String cursorParam = text(p, "cursorParam", "cursor");
        String pageParam = text(p, "pageParam", "page");
        int page = integer(p, "startPage", 1, 0);
        if (style.equals("cursor") && cursorPath == null) {
            throw invalid("paginate.cursorPath", "'paginate.cursorPath' is required for cursor pagination");
        }
        OutboundHttp.Request request = first;
        if (style.equals("page")) {
            request = request.withQuery(pageParam, String.valueOf(page));
            if (p.get("sizeParam") != null) {
                request = request.withQuery(text(p, "sizeParam", null), String.valueOf(integer(p, "size", 100, 1)));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        URI current = absolute(base, first.url());
        List<Object> items = new ArrayList<>();
        String lastCursor = null;
        int pages = 0;
        int status;
        boolean truncated = false;
        while (true) {
            OutboundHttp.Response r = checked(request, accept);
            pages++;
            status = r.status();
            Object value = r.value();
            List<?> pageItems = items(value, itemsPath);
            items.addAll(pageItems);
            OutboundHttp.Request next = null;
            switch (style) {
                case "link" -> {
                    String link = nextLink(r.header("link"));
                    if (link != null) {
                        URI target = resolve(current, link);
                        current = target == null ? current : target;
                        next = new OutboundHttp.Request(
                                "GET",
                                target == null ? link : target.toString(),
                                first.headers(),
                                Map.of(), // the link carries the query
                                null,
                                first.timeout());
                    }
                }
                case "cursor" -> {
                    Object cursor = at(value, cursorPath);
                    String text = cursor == null ? "" : cursor instanceof String s ? s : Json.write(cursor);
                    if (!text.isEmpty() && !text.equals(lastCursor)) {
                        lastCursor = text;
                        next = request.withQuery(cursorParam, text);
                    }
                }
                default -> {
                    if (!pageItems.isEmpty()) {
                        page++;
                        next = request.withQuery(pageParam, String.valueOf(page));
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
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ConnectorException(
                        "TIMEOUT",
                        "paginating %s %s did not finish within %s (%d pages read)"
                                .formatted(first.method(), where(first.url()), timeout, pages),
                        true);
            }
            request = new OutboundHttp.Request(
                    next.method(), next.url(), next.headers(), next.query(), next.body(), Duration.ofNanos(left));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("pages", pages);
        out.put("items", items);
        out.put("truncated", truncated);
        return out;
    }

    private OutboundHttp.Response checked(OutboundHttp.Request request, List<int[]> accept) throws ConnectorException {
        OutboundHttp.Response r = http.send(request);
        int status = r.status();
        if (accept.stream().noneMatch(range -> status >= range[0] && status <= range[1])) {
            throw StatusErrors.of(request.method(), request.url(), r, clock);
        }
        return r;
    }

    /**
     * The target of the first {@code rel="next"} link of an RFC 8288 {@code Link} header (several
     * headers arrive joined by ", "), or null.
     */
    static String nextLink(String header) {
        if (header == null) {
            return null;
        }
        for (String value : linkValues(header)) {
            int open = value.indexOf('<');
            int close = value.indexOf('>', open + 1);
            if (open != 0 || close < 0) {
                continue;
            }
            Matcher rel = REL.matcher(value.substring(close + 1));
            while (rel.find()) {
                String rels = rel.group(1) != null ? rel.group(1) : rel.group(2);
                for (String one : rels.strip().split("\\s+")) {
                    if (one.equalsIgnoreCase("next")) {
                        return value.substring(1, close).strip();
                    }
                }
            }
        }
        return null;
    }

    /** Splits a Link header at the commas between link values (not those inside {@code <>} or quotes). */
    private static List<String> linkValues(String header) {
        List<String> out = new ArrayList<>();
        boolean inUri = false;
        boolean inQuote = false;
        int start = 0;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (inQuote) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inQuote = false;
                }
            } else if (inUri) {
                inUri = c != '>';
            } else if (c == '<') {
                inUri = true;
            } else if (c == '"') {
                inQuote = true;
            } else if (c == ',') {
                out.add(header.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(header.substring(start).strip());
        return out;
    }

    private static URI baseUri(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
            return uri.isAbsolute() ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code url} as the platform client resolves it against the base URL; null when unknown. */
    static URI absolute(URI base, String url) {
        try {
            URI uri = URI.create(url);
            if (uri.isAbsolute()) {
                return uri;
            }
            return base == null ? null : base.resolve(url.startsWith("/") ? url.substring(1) : url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static URI resolve(URI current, String link) {
        try {
            URI target = URI.create(link);
            return target.isAbsolute() ? target : current == null ? null : current.resolve(target);
        } catch (IllegalArgumentException e) {
            return null;
        }
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
                itemsPath == null
                        ? "the answer is not an array; set paginate.itemsPath to the dot path of its items (e.g. data)"
                        : "paginate.itemsPath '%s' does not point at an array in the answer".formatted(itemsPath),
                false);
    }

    /** The value at a dot path such as {@code data.items} or {@code meta.next}; null when absent. */
    static Object at(Object value, String path) {
        Object current = value;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> m) {
                current = m.get(part);
            } else if (current instanceof List<?> l && part.matches("\\d{1,9}")) {
                int i = Integer.parseInt(part);
                current = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return current;
    }

    /** Status ranges from numbers ({@code 404}), classes ({@code "2xx"}) and ranges ({@code "200-299"}). */
    private static List<int[]> accept(Object value) throws ConnectorException {
        if (value == null) {
            return List.of(new int[] {200, 299});
        }
        List<int[]> out = new ArrayList<>();
        for (Object one : (List<?>) value) {
            String s = String.valueOf(one).strip();
            Matcher cls = STATUS_CLASS.matcher(s);
            Matcher range = STATUS_RANGE.matcher(s);
            if (one instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                out.add(new int[] {n.intValue(), n.intValue()});
            } else if (s.matches("[1-5][0-9]{2}")) {
                out.add(new int[] {Integer.parseInt(s), Integer.parseInt(s)});
            } else if (cls.matches()) {
                int c = Integer.parseInt(cls.group(1));
                out.add(new int[] {c * 100, c * 100 + 99});
            } else if (range.matches()) {
                out.add(new int[] {Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2))});
            } else {
                throw invalid("acceptStatus", "'%s' is not a status, class (2xx) or range (200-299)".formatted(s));
            }
        }
        return out;
    }

    /** Puts scalar query parameters into {@code query}; list values repeat their name in the URL. */
    private static String withRepeatedParams(String path, Map<String, String> query, Object value)
            throws ConnectorException {
        if (value == null) {
            return path;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw invalid("query", "'query' must be an object of name to value");
        }
        StringJoiner repeated = new StringJoiner("&");
        for (var e : m.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() instanceof List<?> list) {
                for (Object item : list) {
                    if (item != null) {
                        repeated.add(encode(name) + "=" + encode(scalar(item)));
                    }
                }
            } else if (e.getValue() != null) {
                query.put(name, scalar(e.getValue()));
            }
        }
        if (repeated.length() == 0) {
            return path;
        }
        int hash = path.indexOf('#');
        String head = hash < 0 ? path : path.substring(0, hash);
        return head + (head.contains("?") ? "&" : "?") + repeated;
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
                out.put(String.valueOf(k), scalar(v));
            }
        });
        return out;
    }

    private static String scalar(Object v) {
        return v instanceof String s ? s : Json.write(v);
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

    private static int integer(Map<?, ?> in, String field, int fallback, int min) throws ConnectorException {
        Object v = in.get(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < min) {
            throw invalid(
                    "paginate." + field, "'paginate.%s' must be a whole number of at least %d".formatted(field, min));
        }
        return n.intValue();
    }

    private static String where(String url) {
        return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectorException("INPUT_INVALID", "input." + field + ": " + message, false);
    }
}
