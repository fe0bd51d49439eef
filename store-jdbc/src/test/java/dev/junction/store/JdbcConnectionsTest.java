package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The connections table on SQLite and PostgreSQL: workspace isolation and optimistic updates. */
class JdbcConnectionsTest {
    static Stream<Database> backends() throws Exception {
        return Stream.of(Backends.sqlite(), Backends.postgres());
    }

    private static JdbcConnections.Row row(String id, int version, String status) {
        Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
        return new JdbcConnections.Row(
                "default",
                id,
                "CRM",
                "http",
                Map.of("baseUrl", "https://crm.example"),
                Map.of("type", "bearer"),
                Map.of("rateLimit", Map.of("requests", 10, "per", "1s")),
                status,
                null,
                version,
                null,
                at,
                at);
    }

    @ParameterizedTest(autoCloseArguments = false) // the databases are shared by the whole test JVM
    @MethodSource("backends")
    void insertFindUpdateDeleteWithinOneWorkspace(Database db) {
        JdbcConnections store = new JdbcConnections(db);
        String id = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(store.insert(row(id, 1, "draft"))).isTrue();
        assertThat(store.insert(row(id, 1, "draft"))).isFalse();
        assertThat(store.find("default", id)).get().satisfies(r -> {
            assertThat(r.config()).containsEntry("baseUrl", "https://crm.example");
            assertThat(r.status()).isEqualTo("draft");
        });
        assertThat(store.find("other-workspace", id)).isEmpty();
        assertThat(store.update(row(id, 2, "active"), 1)).isTrue();
        assertThat(store.update(row(id, 3, "active"), 1)).isFalse();
        assertThat(store.setStatus("default", id, "needs_reauth", "refresh refused", Instant.now()))
                .isTrue();
        assertThat(store.find("default", id).orElseThrow().statusReason()).isEqualTo("refresh refused");
        assertThat(store.setLastTest("default", id, Map.of("ok", true, "latencyMs", 12)))
                .isTrue();
        assertThat(store.list("default")).extracting(JdbcConnections.Row::id).contains(id);
        assertThat(store.delete("other-workspace", id)).isFalse();
        assertThat(store.delete("default", id)).isTrue();
        assertThat(store.find("default", id)).isEmpty();
    }
}
