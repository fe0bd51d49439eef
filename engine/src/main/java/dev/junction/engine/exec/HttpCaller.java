package dev.junction.engine.exec;

import dev.junction.engine.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Performs the request of an {@code http} step with {@link HttpClient} and turns the answer into
 * {@code {status, headers, body}} (JSON bodies parsed, others as text). Failures become
 * {@link StepFailure}s with the codes of FLOWS.md. Thread-safe.
 */
public final class HttpCaller {
    private final HttpClient client;
    private final int maxResponseBytes;

    public HttpCaller(HttpClient client, int maxResponseBytes) {
        this.client = client;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** A client that follows redirects, on virtual threads. */
    public static HttpCaller standard() {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return new HttpCaller(client, 10 * 1024 * 1024);
    }

    /** One request as rendered from a step: header and query values are text. */
    public record Request(
            String method, String url, Map<String, String> headers, Map<String, String> query, Object body) {}

    /** Sends {@code request}; returns the response when it is received, whatever its status. */
    public Map<String, Object> send(Request request, Duration timeout) {
        URI uri = uri(request.url(), request.query());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        boolean hasContentType = false;
        for (var h : request.headers().entrySet()) {
            try {
                builder.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw new StepFailure(
                        "STEP_FAILED",
                        "header '%s' is not allowed: %s".formatted(h.getKey(), e.getMessage()),
                        false,
                        null,
                        null);
            }
            hasContentType |= h.getKey().equalsIgnoreCase("content-type");
        }
        Object body = request.body();
        HttpRequest.BodyPublisher publisher;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (body instanceof String text) {
            publisher = HttpRequest.BodyPublishers.ofString(text);
            if (!hasContentType) {
                builder.header("Content-Type", "text/plain; charset=utf-8");
            }
        } else {
            publisher = HttpRequest.BodyPublishers.ofString(Json.write(body));
            if (!hasContentType) {
                builder.header("Content-Type", "application/json");
            }
        }
        builder.method(request.method(), publisher);
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new StepFailure("CONNECTION", "connecting to %s timed out".formatted(hostOf(uri)), true, null, null);
        } catch (HttpTimeoutException e) {
            throw new StepFailure(
                    "TIMEOUT",
                    "%s %s did not answer within %s".formatted(request.method(), redacted(uri), timeout),
                    true,
                    null,
                    null);
        } catch (ConnectException e) {
            throw new StepFailure(
                    "CONNECTION", "cannot connect to %s: %s".formatted(hostOf(uri), reason(e)), true, null, null);
        } catch (IOException e) {
            throw new StepFailure(
                    "CONNECTION",
                    "%s %s failed: %s".formatted(request.method(), redacted(uri), reason(e)),
                    true,
                    null,
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("CANCELLED", "interrupted while calling " + redacted(uri), false, null, null);
        }
        return read(response, uri);
    }

    private Map<String, Object> read(HttpResponse<InputStream> response, URI uri) {
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(maxResponseBytes + 1);
        } catch (IOException e) {
            throw new StepFailure(
                    "CONNECTION",
                    "reading the answer of %s failed: %s".formatted(redacted(uri), reason(e)),
                    true,
                    null,
                    null);
        }
        if (bytes.length > maxResponseBytes) {
            throw new StepFailure(
                    "STEP_FAILED",
                    "the answer of %s is larger than %d bytes".formatted(redacted(uri), maxResponseBytes),
                    false,
                    null,
                    null);
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        String text = new String(bytes, StandardCharsets.UTF_8);
        Object body = text;
        String type = String.valueOf(headers.getOrDefault("content-type", ""));
        if (!text.isBlank() && type.contains("json")) {
            try {
                body = Json.read(text);
            } catch (RuntimeException e) {
                body = text; // the far side mislabelled its body; keep it as text
            }
        } else if (text.isEmpty()) {
            body = null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", response.statusCode());
        out.put("headers", headers);
        out.put("body", body);
        return out;
    }

    /** The {@code Retry-After} of a response, as seconds or an HTTP date, or null. */
    static Duration retryAfter(Map<String, Object> response, java.time.Clock clock) {
        Object headers = response.get("headers");
        if (!(headers instanceof Map<?, ?> h) || !(h.get("retry-after") instanceof String value)) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    private static URI uri(String url, Map<String, String> query) {
        String full = url;
        if (!query.isEmpty()) {
            StringJoiner q = new StringJoiner("&");
            query.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
            full = url + (url.contains("?") ? "&" : "?") + q;
        }
        try {
            URI uri = URI.create(full);
            if (!List.of("http", "https")
                            .contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("an absolute http or https URL is needed");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new StepFailure(
                    "STEP_FAILED", "'%s' is not a valid URL: %s".formatted(url, e.getMessage()), false, null, null);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String hostOf(URI uri) {
        return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    /** The URL without its query string, which may carry credentials. */
    private static String redacted(URI uri) {
        return uri.getScheme() + "://" + hostOf(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
