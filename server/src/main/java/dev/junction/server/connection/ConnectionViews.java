package dev.junction.server.connection;

import dev.junction.engine.connector.TestResult;
import dev.junction.server.api.ApiProblem;
import dev.junction.store.JdbcConnections;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The API's JSON views of connections and test results. Secret values never appear, only their names. */
final class ConnectionViews {
    private ConnectionViews() {}

    /** {@code runtime} (rate limit and circuit state of the open session) may be null. */
    static Map<String, Object> connection(
            JdbcConnections.Row row, Map<String, String> stored, Map<String, Object> runtime) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", row.id());
        v.put("name", row.name());
        v.put("connector", row.connector());
        v.put("config", row.config());
        v.put("auth", row.auth());
        v.put("secretsSet", ConnectionAuth.secretNames(stored, ""));
        v.put("limits", row.limits());
        v.put("status", row.status());
        if (row.statusReason() != null) {
            v.put("statusReason", row.statusReason());
        }
        v.put("version", row.version());
        if (row.lastTest() != null) {
            v.put("lastTest", row.lastTest());
        }
        if (runtime != null) {
            v.put("runtime", runtime);
        }
        v.put("createdAt", row.createdAt().toString());
        v.put("updatedAt", row.updatedAt().toString());
        return v;
    }

    static Map<String, Object> test(TestResult t, Instant at) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ok", t.ok());
        v.put("latencyMs", t.latencyMillis());
        if (t.code() != null) {
            v.put("code", t.code());
        }
        if (t.message() != null) {
            v.put("message", t.message());
        }
        v.put("at", at.toString());
        return v;
    }

    static ApiProblem testFailed(TestResult t, Instant at) {
        return new ApiProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "CONNECTION_TEST_FAILED",
                "the connection test failed, so nothing was activated: " + t.message(),
                Map.of("test", test(t, at)));
    }
}
