package dev.junction.connector.http;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.exec.HttpCaller;
import java.time.Clock;

/**
 * The step error codes of FLOWS.md for an answer that was not accepted: 408, 425 and 429 keep their
 * own codes and are retryable (429 with its {@code Retry-After}), 5xx is {@code HTTP_5XX}
 * (retryable), any other status {@code HTTP_4XX} (not retryable).
 */
public final class StatusErrors {
    private StatusErrors() {}

    public static ConnectorException of(String method, String url, OutboundHttp.Response r, Clock clock) {
        int status = r.status();
        String code =
                switch (status) {
                    case 408 -> "HTTP_408";
                    case 425 -> "HTTP_425";
                    case 429 -> "HTTP_429";
                    default -> status >= 500 ? "HTTP_5XX" : "HTTP_4XX";
                };
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

    static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= 500 ? one : one.substring(0, 497) + "...";
    }
}
