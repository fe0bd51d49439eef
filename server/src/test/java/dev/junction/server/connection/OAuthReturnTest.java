package dev.junction.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The page an authorization the web UI started returns to must be one of the UI's own. */
class OAuthReturnTest {

    @Test
    void acceptsPagesOfTheWebUi() {
        assertThat(OAuthFlows.safeReturn("/ui/connections/crm/configure/test")).isTrue();
        assertThat(OAuthFlows.safeReturn("/ui/connections/new")).isTrue();
    }

    @Test
    void refusesAnythingABrowserCouldReadAsAnotherSiteOrPage() {
        assertThat(OAuthFlows.safeReturn("https://evil.example/ui/")).isFalse();
        assertThat(OAuthFlows.safeReturn("//evil.example/ui/")).isFalse();
        assertThat(OAuthFlows.safeReturn("/ui//evil.example")).isFalse();
        assertThat(OAuthFlows.safeReturn("/ui/\\evil.example")).isFalse();
        assertThat(OAuthFlows.safeReturn("/ui/../api/v1/keys")).isFalse();
        assertThat(OAuthFlows.safeReturn("/ui/x\r\nSet-Cookie: a=b")).isFalse();
        assertThat(OAuthFlows.safeReturn("/api/v1/connections")).isFalse();
        assertThat(OAuthFlows.safeReturn("/uix")).isFalse();
    }
}
