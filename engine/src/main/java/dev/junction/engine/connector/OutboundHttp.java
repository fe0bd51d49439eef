package dev.junction.engine.connector;

import dev.junction.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The platform's HTTP client as connectors and {@code http} steps use it. One instance belongs to
 * one connection (or to none): it resolves relative URLs against the connection's base URL, applies
 * its authentication, refuses blocked addresses ({@code ADDRESS_BLOCKED}) and answers larger than
 * the limit. Failures are {@link ConnectorException}s with the step error codes of FLOWS.md.
 */
public interface OutboundHttp {
    /** Sends {@code request}; returns the answer whatever its status. */
    Response send(Request request) throws ConnectorException;

    /** A request; {@code url} may be relative to the connection's base URL. */
    record Request(
            String method,
            String url,
            Map<String, String> headers,
            Map<String, String> query,
            Body body,
            Duration timeout) {
        public Request {
            headers = Map.copyOf(headers);
            query = Map.copyOf(query);
        }

        public Request withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Request(method, url, h, query, body, timeout);
        }

        public Request withQuery(String name, String value) {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put(name, value);
            return new Request(method, url, headers, q, body, timeout);
        }

        public Request withUrl(String newUrl) {
            return new Request(method, newUrl, headers, query, body, timeout);
        }

        /** The value of header {@code name}, case-insensitively, or null. */
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /** An encoded request body; see {@link Bodies} for JSON, text, form and multipart. */
    record Body(String contentType, byte[] bytes) {}

    /** An answer: status, headers with lower-case names (repeated values joined by ", "), raw body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The body as a JSON value when it is labelled JSON, else as text; null when empty. */
        public Object value() {
            String text = text();
            if (text.isEmpty()) {
                return null;
            }
            if (!text.isBlank() && String.valueOf(header("content-type")).contains("json")) {
                try {
                    return Json.read(text);
                } catch (RuntimeException mislabelled) {
                    return text;
                }
            }
            return text;
        }

        /** {@code {status, headers, body}}, the output of an {@code http} step. */
        public Map<String, Object> toOutput() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", status);
            out.put("headers", new LinkedHashMap<String, Object>(headers));
            out.put("body", value());
            return out;
        }
    }
}
