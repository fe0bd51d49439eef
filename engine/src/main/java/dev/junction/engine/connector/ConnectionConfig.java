package dev.junction.engine.connector;

import java.util.Map;

/**
 * A connection as its connector sees it: the validated, non-secret {@code config} and the decrypted
 * {@code secrets} (e.g. a database password). Secrets must never be logged or put into outputs.
 */
public record ConnectionConfig(
        String workspaceId, String connectionId, Map<String, Object> config, Map<String, String> secrets) {
    public ConnectionConfig {
        config = Map.copyOf(config);
        secrets = Map.copyOf(secrets);
    }

    /** {@code config.<name>} as text, or {@code fallback}. */
    public String text(String name, String fallback) {
        Object v = config.get(name);
        return v == null ? fallback : String.valueOf(v);
    }

    @Override
    public String toString() {
        return "ConnectionConfig[" + workspaceId + "/" + connectionId + ", config=" + config + ", secrets="
                + secrets.keySet() + "]";
    }
}
