package dev.junction.connector.openapi;

import dev.junction.connector.http.StatusErrors;
import dev.junction.connector.openapi.ApiOperation.Param;
import dev.junction.engine.connector.Bodies;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Performs one operation with an input already checked against its schema: fills the path
 * template (each value URL-encoded as one segment), adds query parameters ({@code form} style,
 * arrays repeated when {@code explode}, else comma-joined; {@code deepObject} as {@code
 * name[key]=value}), header and cookie parameters, encodes the body for the operation's media type,
 * and sends it through the platform client. A status outside 2xx is an error with the step error
 * codes of {@link StatusErrors}. Thread-safe (immutable).
 */
final class OperationCall {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final OutboundHttp http;
    private final Map<String, String> defaultHeaders;
    private final Clock clock;

    OperationCall(OutboundHttp http, Map<String, String> defaultHeaders, Clock clock) {
        this.http = http;
        this.defaultHeaders = Map.copyOf(defaultHeaders);
        this.clock = clock;
    }

    /**
     * Sends {@code op} with {@code input}.
     *
     * @param base "" when the platform client applies the connection's base URL, else the absolute
     *     server URL without a trailing slash
     */
    Map<String, Object> perform(ApiOperation op, Map<?, ?> input, String base, CallContext call)
            throws ConnectorException {
        String path = op.path();
        StringJoiner query = new StringJoiner("&");
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        List<String> cookies = new ArrayList<>();
        for (Param p : op.params()) {
            Object value = input.get(p.key());
            if (value == null) {
                continue;
            }
            switch (p.in()) {
                case PATH -> path = path.replace("{" + p.name() + "}", segment(joined(value, p.explode(), ",", "=")));
                case QUERY -> query(query, p, value);
                case HEADER -> headers.put(p.name(), joined(value, p.explode(), ",", "="));
                case COOKIE -> cookies.add(p.name() + "=" + joined(value, false, ",", ","));
            }
        }
        if (!cookies.isEmpty()) {
            headers.put("Cookie", String.join("; ", cookies));
        }
        if (call.idempotencyKey() != null && headers.keySet().stream().noneMatch("Idempotency-Key"::equalsIgnoreCase)) {
            headers.put("Idempotency-Key", call.idempotencyKey());
        }
        OutboundHttp.Body body = op.body() == null
                ? null
                : Bodies.encode(input.get("body"), op.body().contentType());
        String url = url(base, path) + (query.length() == 0 ? "" : "?" + query);
        Duration timeout = call.timeout() == null ? DEFAULT_TIMEOUT : call.timeout();
        OutboundHttp.Request request = new OutboundHttp.Request(op.method(), url, headers, Map.of(), body, timeout);
        OutboundHttp.Response r = http.send(request);
        if (r.status() < 200 || r.status() > 299) {
            throw StatusErrors.of(op.method(), url, r, clock);
        }
        return r.toOutput();
    }

    /**
     * The request URL: below the client's base URL (a relative reference, so the base's own path is
     * kept), or below the server URL of the document.
     */
    static String url(String base, String path) {
        if (!base.isEmpty()) {
            return base + path;
        }
        String relative = path.substring(1);
        int colon = relative.indexOf(':');
        int slash = relative.indexOf('/');
        // "v1:batch" would read as a URL with scheme "v1"
        return colon >= 0 && (slash < 0 || colon < slash) ? "./" + relative : relative;
    }

    private static void query(StringJoiner query, Param p, Object value) {
        String name = encode(p.name());
        if (value instanceof Map<?, ?> m && p.style().equals("deepObject")) {
            m.forEach((k, v) -> query.add(name + "%5B" + encode(String.valueOf(k)) + "%5D=" + encode(text(v))));
        } else if (value instanceof Map<?, ?> m && p.explode()) {
            m.forEach((k, v) -> query.add(encode(String.valueOf(k)) + "=" + encode(text(v))));
        } else if (value instanceof List<?> l && p.explode()) {
            l.forEach(v -> query.add(name + "=" + encode(text(v))));
        } else {
            String separator =
                    switch (p.style()) {
                        case "spaceDelimited" -> " ";
                        case "pipeDelimited" -> "|";
                        default -> ",";
                    };
            query.add(name + "=" + encode(joined(value, false, separator, ",")));
        }
    }

    /** An array or object as {@code a,b} / {@code k,v,k2,v2} (or {@code k=v,k2=v2} when exploded). */
    private static String joined(Object value, boolean explode, String separator, String pair) {
        if (value instanceof List<?> l) {
            StringJoiner out = new StringJoiner(separator);
            l.forEach(v -> out.add(text(v)));
            return out.toString();
        }
        if (value instanceof Map<?, ?> m) {
            StringJoiner out = new StringJoiner(separator);
            m.forEach((k, v) -> out.add(k + (explode ? "=" : pair) + text(v)));
            return out.toString();
        }
        return text(value);
    }

    private static String text(Object v) {
        return v == null ? "" : v instanceof String s ? s : Json.write(v);
    }

    /** One path segment: everything but unreserved characters percent-encoded ('/' too). */
    private static String segment(String s) {
        return encode(s).replace("+", "%20");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
