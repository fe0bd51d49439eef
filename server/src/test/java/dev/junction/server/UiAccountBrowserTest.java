package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The account parts of the web UI in a real Chromium: single sign-on from the sign-in page (with an
 * OpenID Connect provider configured: mock-oauth2-server on 127.0.0.1, signing in without a form),
 * the profile page (display name, language, time zone; a bad value is named next to its field and
 * the typed values stay) and the user menu's workspace switcher.
 */
class UiAccountBrowserTest {
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
        UiBrowser.user(server, "uma", "viewer", "Uma");
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

    @Test
    void aUserChangesTheirProfileAndAMistakeIsShownNextToItsField() throws Exception {
        try (UiBrowser.Session session = browser.open(server.baseUrl())) {
            Page page = session.page;
            page.navigate("/ui/runs");
            session.signIn("uma");
            page.locator(".user-menu summary").click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Profile and language"))
                    .click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your profile")))
                    .isVisible();
            assertThat(page.getByLabel("Display name")).hasValue("Uma");

            page.getByLabel("Display name").fill("   ");
            page.getByLabel("Language").selectOption("de");
            page.getByLabel("Time zone").selectOption("Europe/Zurich");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save profile"))
                    .click();
            assertThat(page.locator("#displayName + .field-problem")).containsText("1 to 200 characters");
            assertThat(page.getByLabel("Display name")).hasAttribute("aria-invalid", "true");
            assertThat(page.getByLabel("Display name")).hasValue("   ");
            assertThat(page.getByLabel("Time zone")).hasValue("Europe/Zurich");
            assertThat(page.getByLabel("Language")).hasValue("de");
            session.expectRefusedRequest(422);
            session.screenshot("profile");
            assertThat(TestServer.json(server.api("GET", "/api/v1/users", null, null))
                            .toString())
                    .doesNotContain("Europe/Zurich"); // nothing half-saved

            page.getByLabel("Display name").fill("Uma Schmid");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save profile"))
                    .click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Saved.");
            page.reload();
            assertThat(page.locator(".user-menu summary")).containsText("Uma Schmid");
            assertThat(page.getByLabel("Time zone")).hasValue("Europe/Zurich");
            assertThat(page.getByLabel("Language")).hasValue("de");

            page.locator(".user-menu summary").click();
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("default")))
                    .hasAttribute("href", "/ui/login?workspace=default");
            page.getByLabel("Switch workspace").fill("other-team");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Switch"))
                    .click();
            assertThat(page).hasURL(Pattern.compile("/ui/login\\?workspace=other-team$"));
            assertThat(page.getByLabel("Workspace")).hasValue("other-team");
        }
    }
}
