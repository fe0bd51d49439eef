package dev.junction.connector.http;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.exec.HttpCaller;
import java.time.Clock;

/**
 * The step error codes of FLOWS.md for an answer that was not accepted, exactly as the engine's
 * {@code http} step maps them: 408, 425 and 429 keep their own codes ({@code HTTP_408},
 * {@code HTTP_425}, {@code HTTP_429}) and are retryable, 5xx is {@code HTTP_5XX} (retryable), any
 * other status {@code HTTP_4XX} (not retryable). {@code Retry-After} (seconds or an HTTP date)
 * becomes {@link ConnectorException#retryAfter()}; the answer is kept as the error's output.
 */
public final class StatusErrors {
    private static final int ABBREVIATE_AT = 500;

    private StatusErrors() {}

    /** The step error code of a status that was not accepted. */
    public static String code(int status) {
        return switch (status) {
            case 408 -> "HTTP_408";
            case 425 -> "HTTP_425";
            case 429 -> "HTTP_429";
            default -> status >= 500 ? "HTTP_5XX" : "HTTP_4XX";
        };
    }

    /**
     * {@code "<METHOD> <url> answered <status>: <abbreviated body>"}, the query string left out of
     * the URL (it may carry credentials).
     */
    public static ConnectorException of(String method, String url, OutboundHttp.Response r, Clock clock) {
        int status = r.status();
        String code = code(status);
        String body = abbreviate(r.text());
        String where = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return new ConnectorException(
                code,
                "%s %s answered %d%s".formatted(method, where, status, body.isEmpty() ? "" : ": " + body),
                !"HTTP_4XX".equals(code),
                HttpCaller.retryAfter(r.header("retry-after"), clock),
                r.toOutput(),
                null);
    }

    /** {@code s} on one line, cut to about 500 characters. */
    public static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= ABBREVIATE_AT ? one : one.substring(0, ABBREVIATE_AT - 3) + "...";
    }
}
