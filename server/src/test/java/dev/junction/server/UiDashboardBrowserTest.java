package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.junction.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real headless Chromium against the real server: runs that succeed and fail
 * through an http step using connection {@code erp} (a JDK HTTP server stands in for the ERP) show
 * as that card's items today, success rate and p95, as the charts and their table, and as the top
 * error with its link to the runs explorer; <em>Sync now</em> polls the flow reading connection
 * {@code shop} at once (for an operator, who may not configure); a viewer sees no actions; an empty
 * workspace is told what to do.
 */
class UiDashboardBrowserTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final AtomicInteger SHOP_POLLS = new AtomicInteger();

    private static TestServer server;
    private static HttpServer downstream;
    private static UiBrowser browser;

    private UiBrowser.Session session;
    private Page page;

    @BeforeAll
    static void start() throws Exception {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/", ex -> answer(ex, 200, "{}")); // what a connection's test GETs
        downstream.createContext("/push", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("broken")) {
                answer(ex, 502, "{\"error\":\"ERP gateway down\"}");
            } else {
                answer(ex, 200, "{\"erpId\":\"E-1\"}");
            }
        });
        downstream.createContext("/orders", ex -> {
            SHOP_POLLS.incrementAndGet();
            answer(ex, 200, "{\"orders\":[]}");
        });
        downstream.start();
        server = new TestServer(Map.of());
        user("default", TestServer.KEY, "olivia", "operator");
        user("default", TestServer.KEY, "victor", "viewer");
        user("default", TestServer.KEY, "edith", "editor");
        String base = "http://127.0.0.1:" + downstream.getAddress().getPort() + "/";
        connection("erp", "ERP", base);
        connection("shop", "Shop", base);
        flow("""
                id: orders
                name: Push orders to the ERP
                trigger: { type: manual }
                steps:
                  - id: push
                    type: http
                    connection: erp
                    method: POST
                    url: push
                    body: "{{ trigger.body }}"
                    retry: { maxAttempts: 1 }
                """);
        flow("""
                id: shop-orders
                trigger:
                  type: poll
                  connection: shop
                  operation: request
                  input: { path: orders }
                  items: output.body.orders
                  every: 1h
                steps: [ { id: a, type: map, expression: "trigger.body" } ]
                """);
        for (String order : new String[] {"A-1", "A-2", "A-3", "broken-1", "broken-2"}) {
            var r = server.api(
                    "POST", "/api/v1/flows/orders/runs", "application/json", "{\"orderId\": \"" + order + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            server.awaitFinished(String.valueOf(json(r).get("runId")));
        }
        browser = UiBrowser.launch();
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
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

    @Test
    void anEditorSeesEachConnectionsActivityTheChartsAndTheTopError() throws Exception {
        page.navigate("/");
        session.signIn("edith");
        assertThat(page).hasURL(Pattern.compile("/ui/$"));
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Dashboard")))
                .hasAttribute("aria-current", "page");

        Locator erp = page.locator("#connection-erp");
        assertThat(erp.locator(".status")).hasText("connected");
        assertThat(erp.locator("img.connector-icon")).hasAttribute("src", "/ui/assets/connectors/http.svg");
        assertThat(erp.locator("img.connector-icon")).hasAttribute("alt", "");
        assertThat(erp.locator(".items-today")).hasText("3");
        assertThat(erp.locator(".success-rate")).hasText("60 %");
        assertThat(erp.locator(".p95")).hasText(Pattern.compile("^\\d+ ms$"));
        assertThat(erp.locator(".last-activity")).hasText(Pattern.compile("^\\d{4}-\\d\\d-\\d\\d .* UTC$"));
        assertThat(erp.locator(".used-by")).hasText("orders");
        assertThat(erp.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Configure ERP")))
                .hasAttribute("href", "/ui/connections/erp/configure");
        assertThat(erp.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Test ERP")))
                .isVisible();
        assertThat(erp.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable ERP")))
                .isVisible();
        assertThat(erp.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Sync ERP now")))
                .hasCount(0); // no flow polls it
        Locator shop = page.locator("#connection-shop");
        assertThat(shop.locator(".success-rate")).hasText("no calls");
        assertThat(shop.locator(".last-activity")).hasText("never");

        assertThat(page.locator(".total-runs")).hasText("5");
        assertThat(page.locator(".total-rate")).hasText("60 %");
        assertThat(page.locator("svg.chart")).hasCount(3);
        assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName(Pattern.compile("^Runs per hour"))))
                .isVisible();
        assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName(Pattern.compile("^Success rate"))))
                .isVisible();
        assertThat(page.getByRole(
                        AriaRole.IMG, new Page.GetByRoleOptions().setName(Pattern.compile("^Run latency per hour"))))
                .isVisible();
        assertThat(page.locator("svg.chart rect.bar")).hasCount(24); // an hour each

        Locator error = page.locator("table.top-errors tbody tr");
        assertThat(error).hasCount(1);
        assertThat(error).containsText("HTTP_5XX");
        assertThat(error).containsText("502");
        assertThat(error.locator("td").nth(3)).hasText("2");
        screenshot();

        page.getByText("The figures as a table").click();
        Locator hours = page.locator(".chart-data tbody tr"); // one, or two if the runs straddled an hour
        assertThat(page.locator(".chart-data table")).isVisible();
        assertThat(hours.first().locator("th")).hasText(Pattern.compile("^\\d\\d:00 UTC$"));
        assertThat(hours.last().locator("td").nth(4)).hasText(Pattern.compile("^\\d+ ms$")); // p50

        error.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Failed runs of orders"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/runs\\?flow=orders&status=FAILED$"));
        assertThat(page.locator("#runs-table tbody tr")).hasCount(2);
    }

    private void screenshot() throws Exception {
        page.setViewportSize(1100, 1640); // the whole dashboard: cards, charts and top errors
        session.screenshot("dashboard");
    }

    @Test
    void syncNowPollsTheFlowsReadingTheConnectionAtOnce() {
        await("the first poll of shop-orders").atMost(Duration.ofSeconds(10)).until(() -> SHOP_POLLS.get() >= 1);
        page.navigate("/ui/");
        session.signIn("olivia");
        Locator shop = page.locator("#connection-shop");
        assertThat(shop.locator(".used-by")).hasText("shop-orders");
        assertThat(shop.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Configure Shop")))
                .hasCount(0); // configuring needs an editor
        int before = SHOP_POLLS.get();

        shop.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Sync Shop now"))
                .click();

        assertThat(shop.getByRole(AriaRole.STATUS)).containsText("Polling now: shop-orders.");
        await("a poll right after Sync now").atMost(Duration.ofSeconds(10)).until(() -> SHOP_POLLS.get() > before);
    }

    @Test
    void theApiPollsNowOrSaysWhyNot() throws Exception {
        var polled = server.api("POST", "/api/v1/connections/shop/poll", null, null);
        assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
        assertThat(json(polled)).containsEntry("polling", java.util.List.of("shop-orders"));
        var notPolled = server.api("POST", "/api/v1/connections/erp/poll", null, null);
        assertThat(notPolled.statusCode()).isEqualTo(409);
        assertThat(json(notPolled)).containsEntry("code", "NOT_POLLED");
        assertThat(server.api("POST", "/api/v1/connections/nope/poll", null, null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aViewerSeesTheFiguresButNoActionsAndAForgedSyncIsRefused() throws Exception {
        page.navigate("/ui/");
        session.signIn("victor");
        Locator erp = page.locator("#connection-erp");
        assertThat(erp.locator(".items-today")).hasText("3");
        assertThat(page.locator("#dashboard-figures .actions")).hasCount(0);
        assertThat(page.locator("#dashboard-figures button")).hasCount(0);
        assertThat(page.locator("table.top-errors")).isVisible();

        // the figures refresh in place (as every 30 s, and at once when the tab is shown again)
        page.evaluate("document.querySelector('.as-of').textContent = 'stale'");
        page.waitForResponse(
                r -> r.url().endsWith("/ui/dashboard/figures") && r.status() == 200,
                () -> page.evaluate("document.dispatchEvent(new Event('visibilitychange'))"));
        assertThat(page.locator(".as-of")).hasText(Pattern.compile("UTC$"));
        assertThat(page.locator(".total-runs")).hasText("5");

        SignedIn viewer = SignedIn.login(server, "default", "victor", UiBrowser.PASSWORD);
        HttpResponse<String> forged = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui/connections/shop/sync"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .header("Cookie", "junction_session=" + viewer.cookie())
                        .header("X-CSRF-Token", viewer.csrfToken())
                        .header("HX-Request", "true")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("may not poll a connection's flows now; that needs operator or higher");
        HttpResponse<String> figures = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui/dashboard/figures"))
                        .header("Cookie", "junction_session=" + viewer.cookie())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(figures.statusCode()).isEqualTo(200);
        assertThat(figures.body())
                .startsWith("<div id=\"dashboard-figures\"")
                .contains("hx-trigger=\"every 30s, resume\"");
    }

    @Test
    void anEmptyWorkspaceIsAskedToSetUpAConnectionAndToldThereAreNoRuns() throws Exception {
        var ws = server.api(
                "POST", "/api/v1/workspaces", "application/json", "{\"id\": \"fresh\", \"name\": \"Fresh\"}");
        assertThat(ws.statusCode()).as(ws.body()).isEqualTo(201);
        user("fresh", String.valueOf(json(ws).get("ownerKey")), "erin", "editor");

        page.navigate("/ui/");
        page.getByLabel("Workspace").fill("fresh");
        session.signIn("erin");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Set up a connection")))
                .hasAttribute("href", "/ui/connections/new");
        assertThat(page.getByText("No runs in the last 24 hours.")).isVisible();
        assertThat(page.getByText("No failed runs in the last 24 hours.")).isVisible();
        assertThat(page.locator("svg.chart")).hasCount(0);
    }

    private static void user(String workspace, String key, String login, String role) throws Exception {
        var r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/users"))
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                                "login", login, "password", UiBrowser.PASSWORD, "role", role, "displayName", login))))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(workspace + ": " + r.body()).isEqualTo(201);
    }

    private static void connection(String id, String name, String baseUrl) throws Exception {
        var r = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        id,
                        "name",
                        name,
                        "connector",
                        "http",
                        "config",
                        Map.of("baseUrl", baseUrl),
                        "activate",
                        true)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static void flow(String yaml) throws Exception {
        var r = server.api("POST", "/api/v1/flows", "application/yaml", yaml);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
