package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.junction.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connection setup wizard in a real headless Chromium against the real server: an editor finds
 * the HTTP connector in the catalog, names the connection, gives it an API key, configures its base
 * URL (first a wrong one, refused next to the field with what was typed kept), tests it against a
 * local HTTP server, activates it and finds its card; changes it again with its secret kept; an
 * OAuth 2.0 authorization code connection goes to the provider (mock-oauth2-server) and comes back
 * into the wizard; a viewer may not create connections.
 */
class UiWizardBrowserTest {
    private static final String KEY = "s3cret-Api-Key-77";
    private static final CountDownLatch FIRST_TEST = new CountDownLatch(1);
    private static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    private static TestServer server;
    private static HttpServer downstream;
    private static MockOAuth2Server provider;
    private static UiBrowser browser;

    private UiBrowser.Session session;
    private Page page;

    @BeforeAll
    static void start() throws Exception {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/health", ex -> {
            SEEN.add("/health " + ex.getRequestHeaders().getFirst("X-API-Key"));
            try {
                // the first test waits until the browser has shown "Testing…" (no sleep)
                FIRST_TEST.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, KEY.equals(ex.getRequestHeaders().getFirst("X-API-Key")) ? 200 : 401);
        });
        downstream.createContext("/crm", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            answer(ex, auth != null && auth.startsWith("Bearer ") ? 200 : 401);
        });
        downstream.start();
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        server = new TestServer(Map.of());
        user("edith", "editor");
        user("victor", "viewer");
        browser = UiBrowser.launch();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
        if (downstream != null) {
            downstream.stop(0);
        }
    }

    @AfterEach
    void closeBrowser() {
        if (session != null) {
            session.close();
        }
    }

    private void open(String base) {
        session = browser.open(base);
        page = session.page;
    }

    @Test
    void anEditorSetsUpAnHttpConnectionStepByStep() throws Exception {
        open(server.baseUrl());
        page.navigate("/ui/connections");
        session.signIn("edith");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New connection"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/connections/new$"));
        assertThat(currentStep()).containsText("Choose a connector");

        // Discover: the catalog filters in place as the user types
        page.evaluate("window.junctionMarker = 'still here'");
        assertThat(catalogCard("Database (JDBC)")).isVisible();
        page.getByLabel("Search connectors").pressSequentially("http");
        assertThat(catalogCard("Database (JDBC)")).hasCount(0);
        assertThat(catalogCard("HTTP / REST")).isVisible();
        assertThat(page.locator("#catalog-count")).containsText("match “http”");
        assertThat(page).hasURL(Pattern.compile("q=http"));
        assertThat(page.evaluate("window.junctionMarker")).isEqualTo("still here");
        screenshot("wizard-catalog");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Choose HTTP / REST"))
                .click();

        // Name and authenticate
        assertThat(currentStep()).containsText("Name and authenticate");
        page.getByLabel("Connection id").fill("billing");
        page.getByLabel("Display name").fill("Billing API");
        page.getByLabel("API key", new Page.GetByLabelOptions().setExact(true)).check();
        assertThat(page.getByLabel("Send the key in")).hasValue("header");
        page.getByLabel("Header or parameter name").fill("X-API-Key");
        page.getByLabel("Key (secret)").fill(KEY);
        assertThat(page.getByLabel("Key (secret)")).hasAttribute("type", "password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next: configure"))
                .click();

        // Configure: a wrong base URL is refused next to the field, inline and on submit
        assertThat(currentStep()).containsText("Configure");
        session.settled();
        Locator baseUrl = page.getByLabel("Base URL");
        baseUrl.fill("ftp://files.example.com");
        baseUrl.press("Tab");
        Locator problem = page.locator("#f-config-baseUrl-error [role=alert]");
        assertThat(problem).containsText("does not match");
        assertThat(page.getByLabel("Base URL")).hasAttribute("aria-invalid", "true");
        assertThat(page.getByLabel("Base URL")).hasValue("ftp://files.example.com");
        assertThat(page.getByLabel("Base URL"))
                .hasAttribute("aria-describedby", Pattern.compile("f-config-baseUrl-error"));
        page.getByLabel("Test path").fill("/health");
        page.getByLabel("Test path").press("Tab");
        screenshot("wizard-configure");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save draft and continue"))
                .click();
        assertThat(page.locator("#form-problems")).hasText("1 field needs attention; it is marked below.");
        session.expectRefusedRequest(422);
        assertThat(problem).containsText("does not match");
        assertThat(page.getByLabel("Base URL")).hasValue("ftp://files.example.com");
        assertThat(page.getByLabel("Test path")).hasValue("/health");
        assertThat(server.api("GET", "/api/v1/connections/billing", null, null).statusCode())
                .isEqualTo(404);

        // Back to step 2 and forward again: nothing typed is lost
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Back"))
                .click();
        assertThat(currentStep()).containsText("Name and authenticate");
        session.settled();
        assertThat(page.getByLabel("Connection id")).hasValue("billing");
        assertThat(page.getByLabel("API key", new Page.GetByLabelOptions().setExact(true)))
                .isChecked();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next: configure"))
                .click();
        assertThat(currentStep()).containsText("Configure");
        session.settled();
        assertThat(page.getByLabel("Base URL")).hasValue("ftp://files.example.com");

        page.getByLabel("Base URL")
                .fill("http://127.0.0.1:" + downstream.getAddress().getPort());
        page.getByLabel("Base URL").press("Tab");
        assertThat(page.locator("#f-config-baseUrl-error")).isEmpty();
        assertThat(page.getByLabel("Base URL")).not().hasAttribute("aria-invalid", "true");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save draft and continue"))
                .click();

        // Test: the draft exists, its key is in the vault and never on the page
        assertThat(page).hasURL(Pattern.compile("/ui/connections/billing/configure/test$"));
        assertThat(currentStep()).containsText("Test");
        Map<String, Object> draft = json(server.api("GET", "/api/v1/connections/billing", null, null));
        assertThat(draft).containsEntry("status", "draft").containsEntry("name", "Billing API");
        assertThat(String.valueOf(draft.get("secretsSet"))).contains("auth.value");
        assertThat(page.content()).doesNotContain(KEY);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Test connection"))
                .click();
        assertThat(page.getByText("Testing…")).isVisible();
        FIRST_TEST.countDown();
        assertThat(page.locator("#test-result")).containsText(Pattern.compile("Test passed: ok in \\d+ ms"));
        assertThat(page.getByText("Testing…")).isHidden();
        assertThat(SEEN).contains("/health " + KEY);
        screenshot("wizard-test");

        // Activate, and land on the connections page with the new card
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next: activate"))
                .click();
        assertThat(currentStep()).containsText("Activate");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Activate"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/connections#connection-billing$"));
        assertThat(page.locator("#connection-billing")).containsText("Billing API");
        assertThat(page.locator("#connection-billing")).containsText("connected");
        assertThat(json(server.api("GET", "/api/v1/connections/billing", null, null)))
                .containsEntry("status", "active");

        // Configure again: prefilled, the secret only "stored", kept when left empty
        page.navigate("/ui/connections/billing/configure");
        assertThat(page.getByLabel("Base URL"))
                .hasValue("http://127.0.0.1:" + downstream.getAddress().getPort());
        assertThat(page.getByLabel("Key (secret)")).hasValue("");
        assertThat(page.locator("#f-auth-apiKey-value-hint")).containsText("Stored, leave empty to keep");
        assertThat(page.content()).doesNotContain(KEY);
        page.getByLabel("Display name").fill("Billing API (EU)");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save and continue"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/connections/billing/configure/test$"));
        Map<String, Object> changed = json(server.api("GET", "/api/v1/connections/billing", null, null));
        assertThat(changed).containsEntry("name", "Billing API (EU)").containsEntry("status", "active");
        assertThat(String.valueOf(changed.get("secretsSet"))).contains("auth.value");
    }

    @Test
    void anAuthorizationCodeConnectionComesBackFromTheProviderIntoTheWizard() throws Exception {
        // the callback the provider redirects to is on localhost (no public URL is set), so is the session
        open("http://localhost:" + URI.create(server.baseUrl()).getPort());
        page.navigate("/ui/connections/new/http");
        session.signIn("edith");
        page.getByLabel("Connection id").fill("crm");
        page.getByLabel("OAuth 2.0 authorization code (sign in at the provider)")
                .check();
        page.locator("#f-auth-oauth2AuthorizationCode-authorizeUrl")
                .fill(provider.authorizationEndpointUrl("default").toString());
        page.locator("#f-auth-oauth2AuthorizationCode-tokenUrl")
                .fill(provider.tokenEndpointUrl("default").toString());
        page.locator("#f-auth-oauth2AuthorizationCode-clientId").fill("crm-app");
        page.locator("#f-auth-oauth2AuthorizationCode-clientSecret").fill("crm-Secret-9");
        page.locator("#f-auth-oauth2AuthorizationCode-scope").fill("openid offline_access");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next: configure"))
                .click();
        assertThat(currentStep()).containsText("Configure");
        session.settled();
        page.getByLabel("Base URL")
                .fill("http://127.0.0.1:" + downstream.getAddress().getPort());
        page.getByLabel("Test path").fill("/crm");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save draft and continue"))
                .click();

        // to the provider (which approves at once) and back through /oauth/callback into the wizard
        assertThat(page)
                .hasURL(
                        Pattern.compile("/ui/connections/crm/configure/test\\?oauth=ok$"),
                        new PageAssertions.HasURLOptions().setTimeout(20_000));
        assertThat(currentStep()).containsText("Test");
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Authorized")))
                .isVisible();
        Map<String, Object> view = json(server.api("GET", "/api/v1/connections/crm", null, null));
        assertThat(view).containsEntry("status", "active");
        assertThat(String.valueOf(view.get("secretsSet"))).contains("oauth.accessToken");
        assertThat(page.content()).doesNotContain("crm-Secret-9");

        // changing the active connection keeps its authorization: no second trip to the provider
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back: change the configuration"))
                .click();
        assertThat(page.locator("#f-auth-oauth2AuthorizationCode-clientSecret-hint"))
                .containsText("Stored, leave empty to keep");
        page.getByLabel("Display name").fill("CRM");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save and continue"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/connections/crm/configure/test$"));
        assertThat(json(server.api("GET", "/api/v1/connections/crm", null, null)))
                .containsEntry("name", "CRM")
                .containsEntry("status", "active");
    }

    @Test
    void aViewerIsRefusedCreatingConnections() throws Exception {
        open(server.baseUrl());
        page.navigate("/ui/connections");
        session.signIn("victor");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Connections")))
                .isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New connection")))
                .hasCount(0);
        page.navigate("/ui/connections/new");
        session.expectRefusedRequest(403);
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("may not create a connection; that needs editor");

        SignedIn viewer = SignedIn.login(server, "default", "victor", UiBrowser.PASSWORD);
        var forged = viewer.send(
                "POST", "/ui/connections/new/http/create?id=forged&config.baseUrl=http://x", null, viewer.csrfToken());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("FORBIDDEN");
        assertThat(server.api("GET", "/api/v1/connections/forged", null, null).statusCode())
                .isEqualTo(404);
    }

    /** A screenshot (and the accessibility check) once no inline check is in flight. */
    private void screenshot(String name) throws Exception {
        assertThat(page.locator(".htmx-request")).hasCount(0);
        session.screenshot(name);
    }

    private Locator currentStep() {
        return page.locator(".wizard-steps [aria-current=step]");
    }

    private Locator catalogCard(String name) {
        return page.locator("#catalog .connector")
                .filter(new Locator.FilterOptions()
                        .setHas(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(name))));
    }

    private static void answer(HttpExchange ex, int status) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private static void user(String login, String role) throws Exception {
        UiBrowser.user(server, login, role, login);
    }
}
