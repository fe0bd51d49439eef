package dev.junction.connector.http;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import java.time.Duration;

/** "Test connection" by one request, for connectors that speak HTTP. */
public final class HttpProbe {
    private HttpProbe() {}

    /**
     * Sends {@code request} and judges reachability: any answer below 500 but 401 and 403 is reachable;
     * 401/403 is {@code AUTH_FAILED} and 5xx {@code HTTP_5XX}, both with the far side's answer
     * verbatim (abbreviated); a failed exchange keeps its code and message. Never throws.
     */
    public static TestResult probe(OutboundHttp http, OutboundHttp.Request request) {
        long t0 = System.nanoTime();
        try {
            OutboundHttp.Response r = http.send(request);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (r.status() == 401 || r.status() == 403) {
                return TestResult.failed(took, "AUTH_FAILED", answered(request, r));
            }
            if (r.status() >= 500) {
                return TestResult.failed(took, "HTTP_5XX", answered(request, r));
            }
            return TestResult.ok(took, "reachable, answered " + r.status());
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (RuntimeException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "CONNECTOR_FAILED",
                    "the test request failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String answered(OutboundHttp.Request request, OutboundHttp.Response r) {
        String body = StatusErrors.abbreviate(r.text());
        String url = request.url().isEmpty() ? "/" : request.url();
        String where = url.contains("?") ? url.substring(0, url.indexOf('?')) : url; // the query may hold secrets
        return "%s %s answered %d%s".formatted(request.method(), where, r.status(), body.isEmpty() ? "" : ": " + body);
    }
}
