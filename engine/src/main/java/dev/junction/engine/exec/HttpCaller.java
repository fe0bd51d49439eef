package dev.junction.engine.exec;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.HttpAuthorizer;
import dev.junction.engine.connector.OutboundHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The platform's {@link OutboundHttp} on an {@link HttpTransport}: resolves relative URLs against a base
 * URL, applies an {@link HttpAuthorizer} (retrying once after a 401 when it asks to), checks the
 * {@link AddressPolicy} before connecting and after every redirect, and refuses answers larger than
 * the limit. Failures carry the step error codes of FLOWS.md. Thread-safe.
 */
public final class HttpCaller implements OutboundHttp {
    private static final int MAX_REDIRECTS = 5;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final RequestConfig DEFAULT_CONFIG = config(DEFAULT_TIMEOUT);
    /** Headers the transport sets itself (the JDK client refused the same ones). */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpTransport transport;
    private final int maxResponseBytes;
    private final AddressPolicy addresses;
    private final URI baseUrl;
    private final HttpAuthorizer authorizer;

    public HttpCaller(
            HttpTransport transport,
            int maxResponseBytes,
            AddressPolicy addresses,
            String baseUrl,
            HttpAuthorizer authorizer) {
        this.transport = transport;
        this.maxResponseBytes = maxResponseBytes;
        this.addresses = addresses;
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : URI.create(withSlash(baseUrl));
        this.authorizer = authorizer;
    }

    /**
     * Under TLS 1.3 a server checks the client's certificate after the client has finished its
     * handshake, so a refused (or missing) certificate often reaches the client not as an alert but
     * as a connection closed before the first answer byte (or reset, or a broken pipe while the
     * request is still being written). With a client certificate in play on
     * https, that is reported as {@code TLS}, not as a generic connection failure.
     */
    private boolean refusedAfterHandshake(URI uri, IOException e) {
        String message = String.valueOf(e.getMessage());
        return transport.ownTls
                && "https".equalsIgnoreCase(uri.getScheme())
                && (e instanceof java.io.EOFException
                        || e instanceof NoHttpResponseException
                        || message.contains("Connection reset")
                        || message.contains("Broken pipe"));
    }

    public HttpCaller(HttpTransport transport, int maxResponseBytes, AddressPolicy addresses) {
        this(transport, maxResponseBytes, addresses, null, HttpAuthorizer.NONE);
    }

    /** A client with a 10 s connect timeout and a 10 MiB answer limit that may reach any address. */
    public static HttpCaller standard() {
        return new HttpCaller(HttpTransport.open(), 10 * 1024 * 1024, AddressPolicy.allowingAll());
    }

    /** The same transport and limits for a connection's base URL and authentication. */
    public HttpCaller forConnection(HttpTransport connectionTransport, String base, HttpAuthorizer auth) {
        return new HttpCaller(
                connectionTransport == null ? transport : connectionTransport, maxResponseBytes, addresses, base, auth);
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
        transport.begin();
        try {
            return followingRedirects(request);
        } finally {
            transport.end();
        }
    }

    private Response followingRedirects(Request request) throws ConnectorException {
        URI uri = uri(request.url(), request.query());
        String method = request.method().toUpperCase(Locale.ROOT);
        Body body = request.body();
        Duration timeout = request.timeout() == null ? DEFAULT_TIMEOUT : positive(request.timeout());
        for (int hop = 0; ; hop++) {
            addresses.check(uri.getHost());
            HttpUriRequestBase exchange = exchange(uri, method, request, body, timeout);
            // the step's timeout bounds each hop as a whole: connecting, sending and reading the answer
            HttpTransport.Deadline deadline = transport.abortAfter(exchange, timeout);
            try {
                ClassicHttpResponse response = send(exchange, uri, method, timeout, deadline);
                int status = response.getCode();
                Header location = response.getFirstHeader("location");
                if (status < 301 || status > 308 || status == 304 || status == 305 || location == null) {
                    return read(exchange, response, uri, method, timeout, deadline);
                }
                abort(exchange, response);
                if (hop >= MAX_REDIRECTS) {
                    throw new ConnectorException(
                            "CONNECTION",
                            "%s redirected more than %d times".formatted(redacted(uri), MAX_REDIRECTS),
                            false);
                }
                uri = uri.resolve(location.getValue());
                if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
                    method = "GET";
                    body = null;
                }
            } finally {
                deadline.cancel();
            }
        }
    }

    private static HttpUriRequestBase exchange(URI uri, String method, Request request, Body body, Duration timeout)
            throws ConnectorException {
        HttpUriRequestBase exchange = new HttpUriRequestBase(method, uri);
        exchange.setConfig(timeout.equals(DEFAULT_TIMEOUT) ? DEFAULT_CONFIG : config(timeout));
        boolean hasContentType = false;
        boolean multipart =
                body != null && body.contentType() != null && body.contentType().startsWith("multipart/");
        for (var h : request.headers().entrySet()) {
            if (multipart
                    && h.getKey().equalsIgnoreCase("content-type")
                    && !h.getValue().contains("boundary=")) {
                continue; // the encoded body's content type carries the boundary
            }
            String refused = refusedHeader(h.getKey(), h.getValue());
            if (refused != null) {
                throw new ConnectorException(
                        "STEP_FAILED", "header '%s' is not allowed: %s".formatted(h.getKey(), refused), false);
            }
            exchange.addHeader(h.getKey(), h.getValue());
            hasContentType |= h.getKey().equalsIgnoreCase("content-type");
        }
        if (body != null) {
            if (!hasContentType && body.contentType() != null) {
                exchange.addHeader("Content-Type", body.contentType());
            }
            exchange.setEntity(new ByteArrayEntity(body.bytes(), null));
        }
        return exchange;
    }

    /** The run was cancelled: its thread interrupted, which closes a socket it was blocked on. */
    private static ConnectorException cancelled(URI uri) {
        return new ConnectorException("CANCELLED", "interrupted while calling " + redacted(uri), false);
    }

    private static ConnectorException timedOut(String method, URI uri, Duration timeout) {
        return new ConnectorException(
                "TIMEOUT", "%s %s did not answer within %s".formatted(method, redacted(uri), timeout), true);
    }

    private ClassicHttpResponse send(
            HttpUriRequestBase exchange, URI uri, String method, Duration timeout, HttpTransport.Deadline deadline)
            throws ConnectorException {
        try {
            return transport.client.executeOpen(null, exchange, null);
        } catch (IllegalStateException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw cancelled(uri);
            }
            throw new ConnectorException(
                    "CONNECTION", "%s %s failed: the connection was closed".formatted(method, redacted(uri)), true);
        } catch (ConnectTimeoutException e) {
            throw new ConnectorException(
                    "CONNECTION", "connecting to %s timed out".formatted(hostOf(uri)), true, null, null, null);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw cancelled(uri);
            }
            if (e instanceof SocketTimeoutException || deadline.passed()) {
                throw timedOut(method, uri, timeout);
            }
            if (e instanceof ConnectException) {
                // the library says "Connect to http://host:port [/address] failed: <why>"; keep the why
                String why = reason(e).replaceFirst("^Connect to \\S+ (\\[[^]]*] )?failed: ", "");
                throw new ConnectorException(
                        "CONNECTION", "cannot connect to %s: %s".formatted(hostOf(uri), why), true);
            }
            if (e instanceof SSLException || e.getCause() instanceof SSLException) {
                SSLException tls = e instanceof SSLException s ? s : (SSLException) e.getCause();
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
        }
    }

    /**
     * The deadline ({@link HttpTransport#abortAfter}) is what bounds an exchange; the per-read
     * timeout is only a backstop a minute later, so that the library's default (3 minutes) never
     * cuts a longer step timeout short.
     */
    private static RequestConfig config(Duration timeout) {
        return RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout.plusMinutes(1)))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build();
    }

    /** Why a header cannot be sent as given, or null. */
    private static String refusedHeader(String name, String value) {
        if (name.isEmpty() || !name.chars().allMatch(HttpCaller::tokenChar)) {
            return "invalid header name";
        }
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            return "the transport sets it";
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            return "the value holds a line break";
        }
        return null;
    }

    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private Response read(
            HttpUriRequestBase exchange,
            ClassicHttpResponse response,
            URI uri,
            String method,
            Duration timeout,
            HttpTransport.Deadline deadline)
            throws ConnectorException {
        byte[] bytes;
        HttpEntity entity = response.getEntity();
        try {
            // read to its end, the answer hands its connection back to the pool
            bytes = entity == null ? new byte[0] : entity.getContent().readNBytes(maxResponseBytes + 1);
        } catch (IOException e) {
            abort(exchange, response);
            if (Thread.currentThread().isInterrupted()) {
                throw cancelled(uri);
            }
            if (e instanceof SocketTimeoutException || deadline.passed()) {
                throw timedOut(method, uri, timeout);
            }
            throw new ConnectorException(
                    "CONNECTION", "reading the answer of %s failed: %s".formatted(redacted(uri), reason(e)), true);
        }
        if (bytes.length > maxResponseBytes) {
            abort(exchange, response);
            throw new ConnectorException(
                    "RESPONSE_TOO_LARGE",
                    "the answer of %s is larger than %d bytes".formatted(redacted(uri), maxResponseBytes),
                    false);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : response.getHeaders()) {
            headers.merge(h.getName().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
        }
        close(response);
        return new Response(response.getCode(), headers, bytes);
    }

    /**
     * Drops the exchange's connection instead of handing it back: closing an answer's body
     * reads the rest of it first, which for a large or endless answer would not end.
     */
    private static void abort(HttpUriRequestBase exchange, ClassicHttpResponse response) {
        exchange.cancel();
        close(response);
    }

    private static void close(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // nothing is left to read from it
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
