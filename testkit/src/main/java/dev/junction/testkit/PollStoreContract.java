package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.port.PollStore;
import dev.junction.engine.port.PollStore.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link PollStore} must do. A backend's test extends this and supplies it. */
public abstract class PollStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract PollStore store();

    private final String flow = "f-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void keepsTheCursorAsJsonAndReplacesTheState() {
        PollStore store = store();
        assertThat(store.state("default", flow)).isEmpty();
        store.put("default", flow, new State("crm/changes/{}", null, T0, null, null, 0));
        assertThat(store.state("default", flow)).contains(new State("crm/changes/{}", null, T0, null, null, 0));
        Map<String, Object> cursor = Map.of("kind", "number", "value", 42, "seen", List.of(List.of("7", "42")));
        State next = new State("crm/changes/{}", cursor, T0.plusSeconds(60), T0, null, 3);
        store.put("default", flow, next);
        assertThat(store.state("default", flow)).contains(next);
        State failed =
                new State("crm/changes/{}", cursor, T0.plusSeconds(120), T0.plusSeconds(60), "CONNECTION: refused", 3);
        store.put("default", flow, failed);
        assertThat(store.state("default", flow)).contains(failed);
    }

    @Test
    void keepsWorkspacesApart() {
        PollStore store = store();
        store.put("default", flow, new State("a", 1, T0, T0, null, 1));
        assertThat(store.state("other-workspace", flow)).isEmpty();
        store.put("other-workspace", flow, new State("b", 2, T0, T0, null, 2));
        assertThat(store.state("default", flow).orElseThrow().cursor()).isEqualTo(1);
        assertThat(store.state("other-workspace", flow).orElseThrow().cursor()).isEqualTo(2);
    }
}
