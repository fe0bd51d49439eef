package dev.junction.server.vault;

import dev.junction.store.vault.Vault;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Workspace secrets as runs see them ({@code secrets.<name>}), decrypted once and kept for a few
 * seconds so that a run does not cost a database read; writes through the API on this node
 * invalidate at once, other nodes see a change within {@link #TTL_MILLIS}.
 */
@Component
public class SecretsCache {
    static final long TTL_MILLIS = 5_000;

    private record Entry(Map<String, String> secrets, long loadedAt) {}

    private final Vault vault;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    SecretsCache(Vault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
    }

    public Map<String, String> workspace(String workspaceId) {
        long now = clock.millis();
        Entry e = entries.get(workspaceId);
        if (e == null || now - e.loadedAt() > TTL_MILLIS) {
            e = new Entry(Map.copyOf(vault.all(workspaceId, Vault.WORKSPACE)), now);
            entries.put(workspaceId, e);
        }
        return e.secrets();
    }

    public void invalidate(String workspaceId) {
        entries.remove(workspaceId);
    }
}
