package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.junction.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, done through the web UI in a real Chromium by one person: sign in, set up an
 * HTTP connection to the stand-in ERP with the wizard, write the flow in the editor, start it with
 * the form its {@code inputSchema} generates (a wrong value first), follow the run live and read
 * each step's data, make the ERP fail, and replay the failed run from the dead letters.
 */
class UiTourBrowserTest {
    private static final AtomicBoolean ERP_UP = new AtomicBoolean(true);
    private static final String FLOW = """
            id: shop-order-to-erp
            name: Shop order to ERP
            trigger:
              type: manual
              inputSchema:
                type: object
                required: [orderId, quantity]
                properties:
                  orderId: { type: string, description: "The shop's order number" }
                  quantity: { type: integer, minimum: 1 }
                  country: { type: string, enum: [de, fr, ch] }
            steps:
              - id: order
                type: map
                expression: |
                  { "externalId": trigger.body.orderId, "qty": trigger.body.quantity, "country": $uppercase(trigger.body.country) }
              - id: push
                type: http
                connection: erp
                method: POST
                url: orders
                body: "{{ steps.order.output }}"
                retry: { maxAttempts: 1 }
            """;

    private static HttpServer erp;
    private static TestServer server;
    private static UiBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        erp.createContext("/health", ex -> answer(ex, 200, "{}"));
        erp.createContext("/orders", ex -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> order = (Map<String, Object>)
                    Json.read(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (ERP_UP.get()) {
                answer(ex, 201, Json.write(Map.of("id", "ERP-" + order.get("externalId"))));
            } else {
                answer(ex, 503, "{\"error\":\"maintenance\"}");
            }
        });
        erp.start();
        server = new TestServer(Map.of());
        UiBrowser.user(server, "ada", "admin", "Ada");
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
        if (erp != null) {
            erp.stop(0);
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    @Test
    void theReadmeTourThroughTheWebUi() throws Exception {
        try (UiBrowser.Session session = browser.open(server.baseUrl())) {
            Page page = session.page;
            page.navigate("/");
            session.signIn("ada");
            assertThat(page).hasURL(Pattern.compile("/ui/$"));
            assertThat(link(page, "Dashboard")).hasAttribute("aria-current", "page");

            // 1. a connection to the ERP, with the wizard
            link(page, "Connections").click();
            link(page, "New connection").click();
            page.getByLabel("Search connectors").pressSequentially("http");
            link(page, "Choose HTTP / REST").click();
            page.getByLabel("Connection id").fill("erp");
            page.getByLabel("Display name").fill("ERP");
            page.getByLabel("No authentication").check();
            button(page, "Next: configure").click();
            assertThat(page.getByLabel("Base URL")).isVisible();
            session.settled();
            page.getByLabel("Base URL")
                    .fill("http://127.0.0.1:" + erp.getAddress().getPort() + "/");
            page.getByLabel("Test path").fill("/health");
            page.getByLabel("Test path").press("Tab");
            button(page, "Save draft and continue").click();
            button(page, "Test connection").click();
            assertThat(page.locator("#test-result")).containsText("Test passed");
            link(page, "Next: activate").click();
            button(page, "Activate").click();
            assertThat(page.locator("#connection-erp")).containsText("connected");

            // 2. the flow, in the editor
            link(page, "Flows").click();
            link(page, "New flow").first().click(); // the button, or the empty list's own link
            page.locator(".CodeMirror-code").click();
            page.keyboard().press("Control+A");
            page.keyboard().insertText(FLOW);
            button(page, "Save").click();
            assertThat(page).hasURL(Pattern.compile("/ui/flows/shop-order-to-erp$"));

            // 3. run it from the form its inputSchema generates; a wrong value is named at its field
            page.getByLabel("Order ID").fill("A-1001");
            page.getByLabel("Quantity").fill("0");
            page.getByLabel("Country").selectOption("de");
            button(page, "Run now").click();
            assertThat(page.locator("#run-now-form > .message.error")).containsText("INPUT_INVALID");
            assertThat(page.locator("#f-input-quantity-error")).containsText("minimum value of 1");
            assertThat(page.getByLabel("Quantity")).hasAttribute("aria-invalid", "true");
            assertThat(page.getByLabel("Quantity")).hasValue("0");
            assertThat(page.getByLabel("Order ID")).hasValue("A-1001");
            session.expectRefusedRequest(422);
            session.screenshot("flow-run-now");
            assertThat(json(server.api("GET", "/api/v1/runs?flow=shop-order-to-erp", null, null))
                            .get("items"))
                    .asList()
                    .isEmpty();
            page.getByLabel("Quantity").fill("2");
            button(page, "Run now").click();

            // 4. the run, followed live, with each step's data
            assertThat(page).hasURL(Pattern.compile("/ui/runs/[^/]+$"));
            assertThat(page.locator("#run-status")).containsText("SUCCEEDED");
            Locator steps = page.locator(".timeline .step");
            assertThat(steps).hasCount(2);
            assertThat(steps.nth(0).locator(".step-output")).containsText("\"country\" : \"DE\"");
            assertThat(steps.nth(1).locator(".step-output")).containsText("ERP-A-1001");

            // 5. the ERP fails: the run lands in the dead letters and is replayed from there
            ERP_UP.set(false);
            link(page, "Flows").click();
            link(page, "shop-order-to-erp").click();
            page.getByLabel("Order ID").fill("A-1002");
            page.getByLabel("Quantity").fill("1");
            button(page, "Run now").click();
            assertThat(page.locator("#run-status")).containsText("FAILED");
            String failed = page.url().substring(page.url().lastIndexOf('/') + 1);
            ERP_UP.set(true);
            link(page, "Dead letters").click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Replay run " + failed))
                    .click();
            link(page, "Open the replay").click();
            assertThat(page.locator("#run-status")).containsText("SUCCEEDED");
            assertThat(page.locator(".facts")).containsText("Replay of");
            assertThat(page.locator(".timeline .step").last()).containsText("ERP-A-1002");
        }
    }

    private static Locator link(Page page, String name) {
        return page.getByRole(
                AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(
                AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }
}
