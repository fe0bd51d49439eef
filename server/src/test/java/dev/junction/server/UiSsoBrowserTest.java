package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.InetAddress;
import java.util.Map;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on from the sign-in page in a real Chromium: with an OpenID Connect provider
 * configured (mock-oauth2-server on 127.0.0.1, signing in without a form) the page offers
 * <em>Sign in with single sign-on</em>, which goes to the provider and comes back signed in.
 */
class UiSsoBrowserTest {
    private static MockOAuth2Server provider;
    private static TestServer server;
    private static UiBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        server = new TestServer(Map.of(
                "JUNCTION_OIDC_ISSUER", provider.issuerUrl("idp").toString(),
                "JUNCTION_OIDC_CLIENT_ID", "junction-web",
                "JUNCTION_OIDC_CLIENT_SECRET", "oidc-Client-Secret-77",
                "JUNCTION_OIDC_DEFAULT_ROLE", "viewer"));
        browser = UiBrowser.launch();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        server.close();
        provider.shutdown();
    }

    @Test
    void theSignInPageOffersSingleSignOnWhichComesBackSignedIn() throws Exception {
        // the server names itself localhost in the redirect URI it gives the provider, so the
        // browser uses that name too (the session cookie is set for it)
        try (UiBrowser.Session session = browser.open(server.baseUrl().replace("//127.0.0.1:", "//localhost:"))) {
            Page page = session.page;
            page.navigate("/ui/runs");
            var sso = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with single sign-on"));
            assertThat(sso).isVisible();
            page.getByLabel("Workspace").fill("default");
            assertThat(sso).hasAttribute("href", "/auth/oidc/start?workspace=default");
            session.screenshot("sign-in-sso");

            sso.click();
            assertThat(page).hasURL(Pattern.compile("^http://localhost:\\d+/ui/"));
            assertThat(page.locator(".user-menu summary")).containsText("viewer, default");
        }
    }
}
