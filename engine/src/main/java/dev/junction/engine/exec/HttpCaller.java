package dev.junction.engine.exec;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.HttpAuthorizer;
import dev.junction.engine.connector.OutboundHttp;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The platform's {@link OutboundHttp} on {@link HttpClient}: resolves relative URLs against a base
 * URL, applies an {@link HttpAuthorizer} (retrying once after a 401 when it asks to), checks the
 * {@link AddressPolicy} before connecting and after every redirect, and refuses answers larger than
 * the limit. Failures carry the step error codes of FLOWS.md. Thread-safe.
 */
public final class HttpCaller implements OutboundHttp {
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final int maxResponseBytes;
    private final AddressPolicy addresses;
    private final URI baseUrl;
    private final HttpAuthorizer authorizer;
    /** The client has a TLS context of its own (mutual TLS): see {@link #refusedAfterHandshake}. */
    private final boolean ownTls;

    public HttpCaller(
            HttpClient client,
            int maxResponseBytes,
            AddressPolicy addresses,
            String baseUrl,
            HttpAuthorizer authorizer) {
        this.client = client;
        this.maxResponseBytes = maxResponseBytes;
        this.addresses = addresses;
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : URI.create(withSlash(baseUrl));
        this.authorizer = authorizer;
        this.ownTls = ownTls(client);
    }

    private static boolean ownTls(HttpClient client) {
        try {
            return client.sslContext() != SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            return false;
        }
    }

    /**
     * Under TLS 1.3 a server checks the client's certificate after the client has finished its
     * handshake, so a refused (or missing) certificate often reaches the client not as an alert but
     * as a connection closed before the first answer byte. With a client certificate in play on
     * https, that is reported as {@code TLS}, not as a generic connection failure.
     */
    private boolean refusedAfterHandshake(URI uri, IOException e) {
        String message = String.valueOf(e.getMessage());
        return ownTls
                && "https".equalsIgnoreCase(uri.getScheme())
                && (e instanceof java.io.EOFException
                        || message.contains("received no bytes")
                        || message.contains("Connection reset"));
    }

    public HttpCaller(HttpClient client, int maxResponseBytes, AddressPolicy addresses) {
        this(client, maxResponseBytes, addresses, null, HttpAuthorizer.NONE);
    }

    /** A client with a 10 s connect timeout and a 10 MiB answer limit that may reach any address. */
    public static HttpCaller standard() {
        return new HttpCaller(defaultClient(), 10 * 1024 * 1024, AddressPolicy.allowingAll());
    }

    /**
     * A client that does not follow redirects itself (this class does, checking each hop). Its
     * dependent tasks run on the thread that completes them (the client's selector thread)
     * instead of hopping to a worker pool: {@link #send} blocks its caller for the answer and
     * reads the body from an input stream, so nothing of ours runs there. In the benchmark this
     * cut the node's CPU per request by 7–17 % (W1, W2).
     */
    public static HttpClient defaultClient() {
        return defaultClient(null);
    }

    /** {@link #defaultClient()} with a connection's own TLS context (mutual TLS); null: the JDK's. */
    public static HttpClient defaultClient(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .executor(Runnable::run)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.build();
    }

    /** The same transport and limits for a connection's base URL and authentication. */
    public HttpCaller forConnection(HttpClient connectionClient, String base, HttpAuthorizer auth) {
        return new HttpCaller(
                connectionClient == null ? client : connectionClient, maxResponseBytes, addresses, base, auth);
    }

    public AddressPolicy addresses() {
        return addresses;
    }

    @Override
    public Response send(Request request) throws ConnectorException {
        Request signed = authorizer.authorize(request);
        Response response = exchange(signed);
        if (response.status() == 401 && authorizer != HttpAuthorizer.NONE && authorizer.unauthorized()) {
            response = exchange(authorizer.authorize(request));
        }
        return response;
    }

    private Response exchange(Request request) throws ConnectorException {
        URI uri = uri(request.url(), request.query());
        String method = request.method().toUpperCase(Locale.ROOT);
        Body body = request.body();
        for (int hop = 0; ; hop++) {
            addresses.check(uri.getHost());
            HttpResponse<InputStream> response = exchange(uri, method, request, body);
            int status = response.statusCode();
            var location = response.headers().firstValue("location");
            if (status >= 301 && status <= 308 && status != 304 && status != 305 && location.isPresent()) {
                close(response);
                if (hop >= MAX_REDIRECTS) {
                    throw new ConnectorException(
                            "CONNECTION",
                            "%s redirected more than %d times".formatted(redacted(uri), MAX_REDIRECTS),
                            false);
                }
                uri = uri.resolve(location.get());
                if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
                    method = "GET";
                    body = null;
                }
                continue;
            }
            return read(response, uri);
        }
    }

    private HttpResponse<InputStream> exchange(URI uri, String method, Request request, Body body)
            throws ConnectorException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(request.timeout() == null ? Duration.ofSeconds(30) : positive(request.timeout()));
        boolean hasContentType = false;
        boolean multipart =
                body != null && body.contentType() != null && body.contentType().startsWith("multipart/");
        for (var h : request.headers().entrySet()) {
            if (multipart
                    && h.getKey().equalsIgnoreCase("content-type")
                    && !h.getValue().contains("boundary=")) {
                continue; // the encoded body's content type carries the boundary
            }
            try {
                builder.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw new ConnectorException(
                        "STEP_FAILED", "header '%s' is not allowed: %s".formatted(h.getKey(), e.getMessage()), false);
            }
            hasContentType |= h.getKey().equalsIgnoreCase("content-type");
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            if (!hasContentType && body.contentType() != null) {
                builder.header("Content-Type", body.contentType());
            }
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        }
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ConnectorException(
                    "CONNECTION", "connecting to %s timed out".formatted(hostOf(uri)), true, null, null, null);
        } catch (HttpTimeoutException e) {
            throw new ConnectorException(
                    "TIMEOUT",
                    "%s %s did not answer within %s".formatted(method, redacted(uri), request.timeout()),
                    true);
        } catch (ConnectException e) {
            throw new ConnectorException(
                    "CONNECTION", "cannot connect to %s: %s".formatted(hostOf(uri), reason(e)), true);
        } catch (SSLException e) {
            throw new ConnectorException(
                    "TLS", "TLS with %s failed: %s".formatted(hostOf(uri), reason(e)), false, null, null, null);
        } catch (IOException e) {
            if (e.getCause() instanceof SSLException tls) {
                throw new ConnectorException(
                        "TLS", "TLS with %s failed: %s".formatted(hostOf(uri), reason(tls)), false, null, null, null);
            }
            if (refusedAfterHandshake(uri, e)) {
                throw new ConnectorException(
                        "TLS",
                        "TLS with %s failed: the server closed the connection right after the handshake, which is how"
                                        .formatted(hostOf(uri))
                                + " a server refuses a client certificate under TLS 1.3 (" + reason(e) + ")",
                        false,
                        null,
                        null,
                        null);
            }
            throw new ConnectorException(
                    "CONNECTION", "%s %s failed: %s".formatted(method, redacted(uri), reason(e)), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("CANCELLED", "interrupted while calling " + redacted(uri), false);
        }
    }

    private Response read(HttpResponse<InputStream> response, URI uri) throws ConnectorException {
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(maxResponseBytes + 1);
        } catch (IOException e) {
            throw new ConnectorException(
                    "CONNECTION", "reading the answer of %s failed: %s".formatted(redacted(uri), reason(e)), true);
        }
        if (bytes.length > maxResponseBytes) {
            throw new ConnectorException(
                    "RESPONSE_TOO_LARGE",
                    "the answer of %s is larger than %d bytes".formatted(redacted(uri), maxResponseBytes),
                    false);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        return new Response(response.statusCode(), headers, bytes);
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the redirect's body is not needed
        }
    }

    /** The {@code Retry-After} of a response, as seconds or an HTTP date, or null. */
    public static Duration retryAfter(String value, java.time.Clock clock) {
        if (value == null) {
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

    private URI uri(String url, Map<String, String> query) throws ConnectorException {
        String full = url;
        if (!query.isEmpty()) {
            StringJoiner q = new StringJoiner("&");
            query.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
            full = url + (url.contains("?") ? "&" : "?") + q;
        }
        try {
            URI uri = URI.create(full);
            if (!uri.isAbsolute() && baseUrl != null) {
                uri = baseUrl.resolve(full.startsWith("/") ? full.substring(1) : full);
            }
            if (!List.of("http", "https")
                            .contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        baseUrl == null
                                ? "an absolute http or https URL is needed"
                                : "an http or https URL or a path is needed");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(
                    "STEP_FAILED", "'%s' is not a valid URL: %s".formatted(url, e.getMessage()), false);
        }
    }

    private static String withSlash(String base) {
        return base.endsWith("/") ? base : base + "/";
    }

    private static Duration positive(Duration d) {
        return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String hostOf(URI uri) {
        return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    /** The URL without its query string, which may carry credentials. */
    static String redacted(URI uri) {
        return uri.getScheme() + "://" + hostOf(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
