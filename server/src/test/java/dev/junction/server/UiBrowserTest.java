package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.junction.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI in a real headless Chromium (the Debian package, driven by Playwright) against the
 * real server: sign-in and back to the page asked for, the flow list, starting a run, the run page
 * with each step's data, the runs explorer's htmx filters, a failed run replayed from the dead
 * letters, the connection cards with their actions, and what a viewer may not do. Every page must run without console errors or uncaught
 * exceptions (the CSP forbids inline script and style, so a violation shows up here).
 * With {@code -Djunction.docs.write=true} the screenshots go to {@code docs/images/}, else to
 * {@code target/ui-screenshots/}.
 */
class UiBrowserTest {
    private static final AtomicBoolean HEALTHY = new AtomicBoolean(true);
    private static final Semaphore SLOW = new Semaphore(0);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static TestServer server;
    private static HttpServer downstream;
    private static UiBrowser browser;

    private UiBrowser.Session session;
    private Page page;

    @BeforeAll
    static void start() throws Exception {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext(
                "/",
                ex -> { // what a connection's test GETs
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
        downstream.createContext("/push", ex -> {
            ex.getRequestBody().readAllBytes();
            boolean healthy = HEALTHY.get();
            byte[] out = (healthy ? "{\"erpId\":\"E-1\"}" : "{\"error\":\"down\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(healthy ? 200 : 500, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        downstream.createContext(
                "/slow",
                ex -> { // answers when the test lets it
                    ex.getRequestBody().readAllBytes();
                    try {
                        SLOW.acquire();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    byte[] out = "{\"done\":true}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, out.length);
                    ex.getResponseBody().write(out);
                    ex.close();
                });
        downstream.start();
        server = new TestServer(Map.of());
        user("olivia", "operator");
        user("victor", "viewer");
        user("edith", "editor");
        var created = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: orders
                name: Push orders to the ERP
                trigger: { type: manual }
                steps:
                  - { id: prepare, type: map, expression: "{ 'orderId': trigger.body.orderId, 'total': 42 }" }
                  - id: push
                    type: http
                    method: POST
                    url: "http://127.0.0.1:%d/push"
                    body: "{{ steps.prepare.output }}"
                    retry: { maxAttempts: 1 }
                """.formatted(
                        downstream.getAddress().getPort()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
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
        if (downstream != null) {
            downstream.stop(0);
        }
    }

    @BeforeEach
    void openBrowser() {
        session = browser.open(server.baseUrl());
        page = session.page;
    }

    @AfterEach
    void closeBrowser() {
        session.close();
    }

    private static void user(String login, String role) throws Exception {
        UiBrowser.user(server, login, role, login);
    }

    private void signIn(String login) {
        session.signIn(login);
    }

    private void expectRefusedRequest(int status) {
        session.expectRefusedRequest(status);
    }

    private void screenshot(String name) throws Exception {
        session.screenshot(name);
    }

    private static String startRun(String orderId) throws Exception {
        return startRun("orders", "{\"orderId\": \"" + orderId + "\"}");
    }

    private static String startRun(String flow, String input) throws Exception {
        var r = server.api("POST", "/api/v1/flows/" + flow + "/runs", "application/json", input);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return String.valueOf(json(r).get("runId"));
    }

    @Test
    void signInReturnsToThePageAskedForAndSignOutEndsTheSession() throws Exception {
        page.navigate("/ui/dead-letters");
        assertThat(page).hasURL(Pattern.compile("/ui/login\\?next=%2Fui%2Fdead-letters$"));
        screenshot("sign-in");
        assertThat(page.getByText("Sign in with single sign-on")).hasCount(0); // none configured

        page.getByLabel("Login").fill("olivia");
        page.getByLabel("Password").fill("wrong password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("login or password is not right");
        expectRefusedRequest(401);

        page.getByLabel("Password").fill(UiBrowser.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/dead-letters$"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Dead letters")))
                .isVisible();

        page.locator(".user-menu summary").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/login$"));
        page.navigate("/ui/runs");
        assertThat(page).hasURL(Pattern.compile("/ui/login\\?next=%2Fui%2Fruns$"));
    }

    @Test
    void onAPhoneEveryMainPageFitsTheScreenWidth() throws Exception {
        HEALTHY.set(false);
        String failed = startRun("P-1");
        server.awaitFinished(failed);
        HEALTHY.set(true);
        connection(
                "phone-erp",
                "ERP",
                "http://127.0.0.1:" + downstream.getAddress().getPort() + "/",
                true);
        try (UiBrowser.Session phone = browser.open(server.baseUrl(), 390, 844)) {
            Page p = phone.page;
            p.navigate("/ui/");
            phone.signIn("edith"); // an editor sees every page, the editor and the wizard too
            assertThat(p).hasURL(Pattern.compile("/ui/$"));
            for (String path : List.of(
                    "/ui/",
                    "/ui/flows",
                    "/ui/flows/orders",
                    "/ui/runs",
                    "/ui/runs/" + failed,
                    "/ui/dead-letters",
                    "/ui/connections",
                    "/ui/profile",
                    "/ui/connections/new",
                    "/ui/flows/new")) {
                p.navigate(path);
                assertThat(p).hasURL(Pattern.compile(path + "$")); // no regex characters in these paths
                assertThat(p.locator("main h1")).isVisible();
                Object over = p.evaluate("document.documentElement.scrollWidth - window.innerWidth");
                if (!Integer.valueOf(0).equals(over)) {
                    Object widest = p.evaluate("[...document.querySelectorAll('body *')]"
                            + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                            + ".slice(-5).map(e => e.tagName + '.' + e.className).join(', ')");
                    throw new AssertionError(path + " is " + over + " px wider than the phone's screen: " + widest);
                }
                phone.assertAccessible();
            }
            p.navigate("/ui/");
            phone.screenshot("phone-dashboard");
        }
    }

    @Test
    void theAccessibilityCheckFindsAnImageWithoutAlternativeText() {
        page.navigate("/ui/login");
        session.assertAccessible();
        page.evaluate("document.querySelector('main, body').appendChild(document.createElement('img'))");
        org.assertj.core.api.Assertions.assertThatThrownBy(session::assertAccessible)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("critical image-alt");
    }

    @Test
    void anOperatorStartsARunAndSeesEachStepsData() throws Exception {
        page.navigate("/ui/flows");
        signIn("olivia");
        assertThat(page).hasURL(Pattern.compile("/ui/flows$"));
        var row = page.getByRole(AriaRole.ROW)
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("orders"));
        assertThat(row).containsText("Push orders to the ERP");
        assertThat(row).containsText("manual");
        screenshot("flows");

        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("orders").setExact(true))
                .click();
        assertThat(page.locator("pre code").first()).containsText("type: http");
        page.getByLabel("Input (JSON)").fill("{not json");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run now"))
                .click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("INPUT_INVALID");
        expectRefusedRequest(400);
        screenshot("flow");

        HEALTHY.set(true);
        page.getByLabel("Input (JSON)").fill("{\"orderId\": \"A-17\"}");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run now"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/runs/[^/]+$"));
        String runId = page.url().substring(page.url().lastIndexOf('/') + 1);
        assertThat(server.awaitFinished(runId)).containsEntry("status", "SUCCEEDED");
        page.reload();

        assertThat(page.locator("#run-status")).containsText("SUCCEEDED");
        var steps = page.locator(".timeline .step");
        assertThat(steps).hasCount(2);
        assertThat(steps.nth(0)).containsText("prepare");
        assertThat(steps.nth(0)).containsText("attempt 1");
        assertThat(steps.nth(0).locator(".step-output")).containsText("\"orderId\" : \"A-17\"");
        assertThat(steps.nth(1)).containsText("push");
        assertThat(steps.nth(1).locator(".step-output")).containsText("E-1");
        assertThat(steps.nth(1).locator(".timing")).containsText("took");
        steps.nth(1).getByText("Input").click();
        assertThat(steps.nth(1).locator(".step-input")).containsText("A-17");
        page.evaluate("window.scrollTo(0, 0)");
        screenshot("run");
    }

    @Test
    void aRunningRunsPageFollowsItsProgressWithoutReloading() throws Exception {
        var created = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: slow
                trigger: { type: manual }
                steps:
                  - { id: prepare, type: map, expression: "{ 'n': 1 }" }
                  - { id: wait, type: http, method: POST, url: "http://127.0.0.1:%d/slow", timeout: 30s }
                """.formatted(
                        downstream.getAddress().getPort()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String run = startRun("slow", "{}");

        page.navigate("/ui/runs/" + run);
        signIn("victor");
        assertThat(page.locator("#run-status")).containsText("RUNNING");
        assertThat(page.locator(".timeline .step")).hasCount(1); // prepare done, wait in flight
        assertThat(page.locator(".facts")).containsText("live, until the run finishes");
        page.evaluate("window.junctionMarker = 'still here'");
        SLOW.release();

        assertThat(page.locator("#run-status")).containsText("SUCCEEDED");
        assertThat(page.locator(".timeline .step")).hasCount(2);
        assertThat(page.locator(".timeline .step").last()).containsText("\"done\" : true");
        assertThat(page.locator(".facts")).not().containsText("live, until");
        assertThat(page.evaluate("window.junctionMarker")).isEqualTo("still here");
        assertThat(page.locator("#run-facts")).not().hasAttribute("hx-trigger", Pattern.compile(".*"));
    }

    @Test
    void theRunsExplorerFiltersWithoutReloadingThePage() throws Exception {
        HEALTHY.set(true);
        String ok = startRun("B-1");
        server.awaitFinished(ok);
        HEALTHY.set(false);
        String failed = startRun("B-2");
        server.awaitFinished(failed);
        HEALTHY.set(true);

        page.navigate("/ui/runs");
        signIn("victor");
        assertThat(page).hasURL(Pattern.compile("/ui/runs$"));
        assertThat(page.locator("#runs-table")).containsText(ok);
        page.evaluate("window.junctionMarker = 'still here'");
        page.keyboard().press("Tab");
        assertThat(page.getByText("Skip to content")).isFocused();
        page.keyboard().press("Enter"); // to <main>, past the navigation
        page.keyboard().press("Tab");
        assertThat(page.getByLabel("Flow")).isFocused();

        page.getByLabel("Status").selectOption("FAILED");
        assertThat(page).hasURL(Pattern.compile("status=FAILED"));
        assertThat(page.locator("#runs-table")).containsText(failed);
        assertThat(page.locator("#runs-table")).not().containsText(ok);
        assertThat(page.evaluate("window.junctionMarker")).isEqualTo("still here");
        page.getByLabel("Flow").selectOption("orders");
        assertThat(page).hasURL(Pattern.compile("flow=orders"));
        assertThat(page.locator("#runs-table")).containsText(failed);
        page.getByLabel("Time").selectOption("1h");
        assertThat(page).hasURL(Pattern.compile("within=1h"));
        assertThat(page.locator("#runs-table")).containsText(failed);

        page.getByLabel("Status").selectOption("");
        page.getByLabel("Search").pressSequentially(ok.substring(0, 8)); // no run has that as its id: none
        assertThat(page.locator("#runs-table")).containsText("No runs match flow orders");
        page.getByLabel("Search").fill(ok);
        page.getByLabel("Search").press("End"); // a key typed: the search runs after a pause
        assertThat(page).hasURL(Pattern.compile("q=" + ok));
        assertThat(page.locator("#runs-table")).containsText(ok);
        assertThat(page.locator("#runs-table")).not().containsText(failed);
        page.getByLabel("Search").fill("HTTP_5XX");
        page.getByLabel("Search").press("End");
        assertThat(page.locator("#runs-table")).not().containsText(ok);
        page.getByLabel("Search").fill("");
        page.getByLabel("Search").press("End");
        assertThat(page.locator("#runs-table")).containsText(failed);
        page.getByLabel("Status").selectOption("FAILED");
        screenshot("runs");

        // a viewer is told why the operator actions are missing
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(failed))
                .click();
        assertThat(page.getByText("need the operator role or higher; you are viewer"))
                .isVisible();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Replay from failed step")))
                .hasCount(0);
    }

    @Test
    void aFailedRunIsReplayedFromTheDeadLetters() throws Exception {
        HEALTHY.set(false);
        String failed = startRun("C-1");
        assertThat(server.awaitFinished(failed)).containsEntry("status", "FAILED");
        HEALTHY.set(true);

        page.navigate("/ui/dead-letters");
        signIn("olivia");
        var group = page.locator("section.group")
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("HTTP_5XX"));
        assertThat(group).containsText("orders");
        assertThat(group).containsText(failed);
        screenshot("dead-letters");

        group.getByRole(
                        AriaRole.BUTTON,
                        new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Replay run " + failed))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)
                        .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Replay started")))
                .isVisible();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open the replay"))
                .click();
        String replay = page.url().substring(page.url().lastIndexOf('/') + 1);
        assertThat(replay).isNotEqualTo(failed);
        assertThat(server.awaitFinished(replay)).containsEntry("status", "SUCCEEDED");
        page.reload();
        assertThat(page.locator("#run-status")).containsText("SUCCEEDED");
        assertThat(page.locator(".facts")).containsText("Replay of");
        assertThat(page.locator(".timeline .step").last()).containsText("E-1");
    }

    @Test
    void deadLettersAreReplayedInBulkAfterAPreview() throws Exception {
        var created = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: invoices
                trigger: { type: manual }
                steps:
                  - { id: push, type: http, method: POST, url: "http://127.0.0.1:%d/push", retry: { maxAttempts: 1 } }
                """.formatted(
                        downstream.getAddress().getPort()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HEALTHY.set(false);
        List<String> failed = List.of(startRun("invoices", "{}"), startRun("invoices", "{}"));
        for (String id : failed) {
            assertThat(server.awaitFinished(id)).containsEntry("status", "FAILED");
        }
        HEALTHY.set(true);

        page.navigate("/ui/dead-letters");
        signIn("olivia");
        var group = page.locator("section.group")
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("invoices"));
        group.getByRole(
                        AriaRole.BUTTON,
                        new com.microsoft.playwright.Locator.GetByRoleOptions()
                                .setName("Replay all 2… HTTP_5XX dead letters of invoices"))
                .click();
        var preview = group.locator(".bulk-preview");
        assertThat(preview).containsText("2 runs will run again");
        assertThat(preview).containsText("Nothing has changed yet");
        assertThat(preview).containsText(failed.get(0));
        preview.getByLabel("the start (run every step again)").check();
        assertThat(group.getByLabel("the start (run every step again)")).isChecked(); // previewed again
        assertThat(group.locator(".bulk-preview")).containsText("2 runs will run again");
        screenshot("dead-letters-bulk");
        assertThat(json(server.api("GET", "/api/v1/dead-letters?flow=invoices", null, null))
                        .get("items"))
                .asList()
                .hasSize(2);

        group.getByRole(
                        AriaRole.BUTTON,
                        new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Replay 2 runs"))
                .click();
        assertThat(group.getByRole(AriaRole.STATUS)).containsText("Replay started for 2 runs");
        var replays = group.locator(".preview-list a");
        assertThat(replays).hasCount(2);
        for (int i = 0; i < 2; i++) {
            String replay = replays.nth(i).textContent();
            assertThat(server.awaitFinished(replay)).containsEntry("status", "SUCCEEDED");
        }
        assertThat(json(server.api("GET", "/api/v1/dead-letters?flow=invoices", null, null))
                        .get("items"))
                .asList()
                .isEmpty();
        SignedIn viewer = SignedIn.login(server, "default", "victor", UiBrowser.PASSWORD);
        HttpResponse<String> forged = send(
                "POST",
                "/ui/dead-letters/replay?flow=orders&error=HTTP_5XX",
                "junction_session=" + viewer.cookie(),
                viewer.csrfToken());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("may not replay runs; that needs operator or higher");
    }

    @Test
    void uiActionsCheckTheSessionTheCsrfTokenAndTheRole() throws Exception {
        HEALTHY.set(false);
        String failed = startRun("D-1");
        server.awaitFinished(failed);
        HEALTHY.set(true);
        SignedIn viewer = SignedIn.login(server, "default", "victor", UiBrowser.PASSWORD);
        SignedIn operator = SignedIn.login(server, "default", "olivia", UiBrowser.PASSWORD);
        String replay = "/ui/runs/" + failed + "/replay";

        HttpResponse<String> anonymous = send("GET", "/ui/runs?status=FAILED", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location"))
                .hasValue("/ui/login?next=%2Fui%2Fruns%3Fstatus%3DFAILED");
        assertThat(send("GET", "/ui/runs", "junction_session=forged", null).statusCode())
                .isEqualTo(303);
        HttpResponse<String> htmx = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui/runs?status=FAILED"))
                        .header("HX-Request", "true")
                        .header("HX-Current-URL", server.baseUrl() + "/ui/runs?flow=orders")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(htmx.statusCode()).isEqualTo(401);
        assertThat(htmx.headers().firstValue("HX-Redirect")).hasValue("/ui/login?next=%2Fui%2Fruns%3Fflow%3Dorders");
        assertThat(send("GET", "/ui/login?next=//evil.example", null, null).body())
                .contains("data-next=\"/ui/\"");

        HttpResponse<String> noCsrf = send("POST", replay, "junction_session=" + operator.cookie(), null);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("CSRF_INVALID");

        HttpResponse<String> refused = send("POST", replay, "junction_session=" + viewer.cookie(), viewer.csrfToken());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("needs operator or higher");
        assertThat(json(server.api("GET", "/api/v1/runs/" + failed, null, null)))
                .doesNotContainKey("replayedBy");

        HttpResponse<String> allowed =
                send("POST", replay, "junction_session=" + operator.cookie(), operator.csrfToken());
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(allowed.body()).contains("Replay started");
        HttpResponse<String> again =
                send("POST", "/ui/runs/nope/cancel", "junction_session=" + operator.cookie(), operator.csrfToken());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("RUN_NOT_FOUND");
        assertThat(server.api("GET", "/api/v1/audit?action=/ui/runs", null, null)
                        .body())
                .contains("/ui/runs/{id}/replay");
    }

    @Test
    void anEditorTestsAndDisablesConnectionsInTheirCards() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        connection("erp", "ERP", "http://127.0.0.1:" + downstream.getAddress().getPort() + "/", true);
        connection("crm", "CRM", "http://127.0.0.1:" + closedPort + "/", false);

        page.navigate("/ui/connections");
        signIn("edith");
        assertThat(page).hasURL(Pattern.compile("/ui/connections$"));
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Connections")))
                .hasAttribute("aria-current", "page");
        var erp = page.locator("#connection-erp");
        var crm = page.locator("#connection-crm");
        assertThat(erp.locator(".status")).hasText("connected");
        assertThat(erp).containsText("HTTP / REST (http)");
        assertThat(erp.locator(".last-test")).containsText("ok");
        assertThat(erp.locator(".last-test")).containsText(" ms, ");
        assertThat(crm.locator(".status")).hasText("draft");
        assertThat(crm.locator(".last-test")).hasText("never tested");

        page.evaluate("window.junctionMarker = 'still here'");
        crm.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Test CRM"))
                .click();
        assertThat(crm.getByRole(AriaRole.ALERT)).containsText("The test failed: CONNECTION");
        assertThat(crm.locator(".last-test")).containsText("failed: CONNECTION");
        assertThat(crm.locator(".status")).hasText("draft");
        screenshot("connections");

        crm.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Activate CRM"))
                .click();
        assertThat(crm.getByRole(AriaRole.ALERT)).containsText("CONNECTION_TEST_FAILED");
        expectRefusedRequest(422);
        assertThat(crm.locator(".status")).hasText("draft");

        erp.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Disable ERP"))
                .click();
        assertThat(erp.locator(".status")).hasText("disabled");
        assertThat(erp).containsText("disabled by a user");
        assertThat(erp.getByRole(
                        AriaRole.BUTTON,
                        new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Activate ERP")))
                .isVisible();
        assertThat(page.evaluate("window.junctionMarker")).isEqualTo("still here");
        assertThat(json(server.api("GET", "/api/v1/connections/erp", null, null)))
                .containsEntry("status", "disabled");
    }

    @Test
    void aViewerSeesNoConnectionActionsAndAForgedOneIsRefused() throws Exception {
        connection(
                "billing",
                "Billing",
                "http://127.0.0.1:" + downstream.getAddress().getPort() + "/",
                true);

        page.navigate("/ui/connections");
        signIn("victor");
        var billing = page.locator("#connection-billing");
        assertThat(billing.locator(".status")).hasText("connected");
        assertThat(billing.getByRole(AriaRole.BUTTON)).hasCount(0);
        assertThat(page.getByText("Testing connections needs the operator role or higher."))
                .isVisible();
        assertThat(page.getByText(
                        "Activating and disabling connections need the editor role or higher; you are viewer"))
                .isVisible();

        SignedIn viewer = SignedIn.login(server, "default", "victor", UiBrowser.PASSWORD);
        SignedIn operator = SignedIn.login(server, "default", "olivia", UiBrowser.PASSWORD);
        HttpResponse<String> forged = send(
                "POST", "/ui/connections/billing/disable", "junction_session=" + viewer.cookie(), viewer.csrfToken());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("may not disable a connection; that needs editor or higher");
        HttpResponse<String> operatorDisable = send(
                "POST",
                "/ui/connections/billing/disable",
                "junction_session=" + operator.cookie(),
                operator.csrfToken());
        assertThat(operatorDisable.statusCode()).isEqualTo(403);
        HttpResponse<String> viewerTest =
                send("POST", "/ui/connections/billing/test", "junction_session=" + viewer.cookie(), viewer.csrfToken());
        assertThat(viewerTest.statusCode()).isEqualTo(403);
        HttpResponse<String> operatorTest = send(
                "POST", "/ui/connections/billing/test", "junction_session=" + operator.cookie(), operator.csrfToken());
        assertThat(operatorTest.statusCode()).as(operatorTest.body()).isEqualTo(200);
        assertThat(operatorTest.body()).contains("test-ok").doesNotContain(">Disable<");
        assertThat(json(server.api("GET", "/api/v1/connections/billing", null, null)))
                .containsEntry("status", "active");
    }

    private static void connection(String id, String name, String baseUrl, boolean activate) throws Exception {
        var r = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id", id,
                        "name", name,
                        "connector", "http",
                        "config", Map.of("baseUrl", baseUrl),
                        "activate", activate)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static HttpResponse<String> send(String method, String path, String cookie, String csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf).header("HX-Request", "true");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
