package dev.junction.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a connection's API view becomes its card: the status in words, the last test, the health. */
class UiConnectionCardTest {

    private static Map<String, Object> view(String status, Map<String, Object> lastTest, Map<String, Object> runtime) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", "erp");
        v.put("name", "ERP");
        v.put("connector", "http");
        v.put("status", status);
        if (lastTest != null) {
            v.put("lastTest", lastTest);
        }
        if (runtime != null) {
            v.put("runtime", runtime);
        }
        return v;
    }

    private static final Map<String, Object> PASSED = Map.of("ok", true, "latencyMs", 12, "at", "2026-01-31T12:00:00Z");
    private static final Map<String, Object> FAILED = Map.of(
            "ok", false, "latencyMs", 3, "code", "CONNECTION", "message", "refused", "at", "2026-01-31T12:00:00Z");

    @Test
    void anActiveConnectionWithAClosedCircuitAndAPassedTestIsConnected() {
        ConnectionCard card = ConnectionCard.of(
                view(
                        "active",
                        PASSED,
                        Map.of(
                                "circuit",
                                "closed",
                                "recentFailures",
                                0,
                                "rateLimit",
                                Map.of("requests", 10, "per", "PT1S", "available", 7))),
                "HTTP / REST");
        assertThat(card.stateLabel()).isEqualTo("connected");
        assertThat(card.lastTest().text()).isEqualTo("ok");
        assertThat(card.lastTest().at()).isEqualTo("2026-01-31 12:00:00 UTC");
        assertThat(card.circuit()).isEqualTo("closed (0 recent failures)");
        assertThat(card.rateLimit()).isEqualTo("7 of 10 per PT1S available");
        assertThat(card.activatable()).isFalse();
        assertThat(card.disableable()).isTrue();
    }

    @Test
    void anActiveConnectionIsFailingWhenItsCircuitIsOpenOrItsLastTestFailed() {
        assertThat(ConnectionCard.of(view("active", PASSED, Map.of("circuit", "open")), "HTTP")
                        .stateLabel())
                .isEqualTo("failing");
        ConnectionCard failed = ConnectionCard.of(view("active", FAILED, null), "HTTP");
        assertThat(failed.stateLabel()).isEqualTo("failing");
        assertThat(failed.lastTest().text()).isEqualTo("failed: CONNECTION: refused");
        assertThat(failed.circuit()).isNull();
    }

    @Test
    void draftsConnectionsNeedingReauthAndDisabledOnesMayBeActivated() {
        assertThat(ConnectionCard.of(view("needs_reauth", null, null), "HTTP").stateLabel())
                .isEqualTo("needs re-auth");
        ConnectionCard disabled = ConnectionCard.of(view("disabled", PASSED, null), "HTTP");
        assertThat(disabled.stateLabel()).isEqualTo("disabled");
        assertThat(disabled.activatable()).isTrue();
        assertThat(disabled.disableable()).isFalse();
        ConnectionCard draft = ConnectionCard.of(view("draft", null, null), "HTTP");
        assertThat(draft.stateLabel()).isEqualTo("draft");
        assertThat(draft.lastTest()).isNull();
        assertThat(draft.activatable()).isTrue();
    }

    @Test
    void aConnectorWithoutAnIconOfItsOwnGetsTheGenericOne() {
        assertThat(ConnectionCard.icon("http")).isEqualTo("/ui/assets/connectors/http.svg");
        assertThat(ConnectionCard.icon("test-echo")).isEqualTo("/ui/assets/connectors/generic.svg");
        assertThat(ConnectionCard.icon("../ui")).isEqualTo("/ui/assets/connectors/generic.svg");
    }
}
