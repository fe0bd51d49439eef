package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.junction.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flow editor in a real headless Chromium against the real server: an editor writes a flow
 * with a mistake and sees the problem at its line while the text stays, fixes and saves it, sees
 * its graph, saves a second version, compares the two and rolls back to the first; a stale edit is
 * refused with a reload offer; a viewer sees no editing and forged actions are refused. Every page
 * must run without console errors (CodeMirror under the strict CSP included).
 */
class UiFlowEditorBrowserTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String BROKEN = """
            id: greetings
            name: Greetings
            trigger: { type: manual }
            steps:
              - id: check
                type: condition
                if: "trigger.body.name != null"
                then:
                  - { id: hello, type: mapp, expression: "'hello'" }
                else:
                  - { id: nobody, type: map, expression: "'nobody'" }
            """;
    private static final String V1 = BROKEN.replace("type: mapp", "type: map");
    private static final String V2 = V1.replace("name: Greetings", "name: Friendly greetings");

    private static TestServer server;
    private static UiBrowser browser;

    private UiBrowser.Session session;
    private Page page;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of());
        user("edith", "editor");
        user("victor", "viewer");
        var created = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: nightly
                name: Nightly export
                trigger: { type: schedule, cron: "0 2 * * *" }
                steps:
                  - { id: export, type: map, expression: "1" }
                """);
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
    void anEditorWritesFixesSavesComparesAndRollsBackAFlow() throws Exception {
        page.navigate("/ui/flows");
        session.signIn("edith");
        assertThat(page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("nightly")))
                .containsText("enabled");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New flow"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/flows/new$"));

        type(BROKEN);
        Locator problem = page.locator("#flow-check .problem");
        assertThat(problem).hasCount(1); // checked on the pause in typing, without a click
        assertThat(problem).containsText("line 9, column");
        assertThat(problem).containsText("mapp");
        assertThat(page.locator(".CodeMirror .problem-line")).hasCount(1);
        assertThat(page.locator(".CodeMirror .problem-marker")).hasCount(1);
        assertThat(lineOf(page.locator(".CodeMirror .problem-marker"))).isEqualTo(9);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save"))
                .click();
        assertThat(page.getByText("FLOW_INVALID: not saved")).isVisible();
        assertThat(page.locator("#flow-check .problems")).containsText("1 problem");
        session.expectRefusedRequest(422);
        assertThat(editorText()).isEqualTo(BROKEN);
        problem.click();
        assertThat(page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getCursor().line"))
                .isEqualTo(8);
        session.screenshot("flow-editor");

        type(V1);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Validate"))
                .click();
        assertThat(page.getByText("The definition is valid.")).isVisible();
        assertThat(page.locator(".CodeMirror .problem-line")).hasCount(0);
        assertThat(page.locator("#flow-check .box")).hasCount(4);
        page.locator("#flow-check .box")
                .filter(new Locator.FilterOptions().setHasText("nobody"))
                .click();
        assertThat(page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getCursor().line"))
                .isEqualTo(10);
        page.keyboard().press("Tab"); // the box put the focus in the editor; Tab leaves it (no trap)
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Validate")))
                .isFocused();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/flows/greetings$"));

        Locator graph = page.getByRole(
                AriaRole.LIST, new Page.GetByRoleOptions().setName("Steps of flow greetings, from the trigger on"));
        assertThat(graph.locator("> li")).hasCount(2);
        assertThat(graph.locator("> li").nth(1)).containsText("check condition");
        assertThat(graph.locator(".branch").nth(0)).containsText("then");
        assertThat(graph.locator(".branch").nth(0)).containsText("hello map");
        assertThat(graph.locator(".branch").nth(1)).containsText("nobody map");
        screenshot(page.locator("section[aria-labelledby=graph-title]"), "flow-graph");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/flows/greetings/edit$"));
        assertThat(page.getByText("The definition is valid.")).isVisible();
        assertThat(editorText()).isEqualTo(V1);
        type(V2);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/flows/greetings$"));
        assertThat(page.locator(".facts")).containsText("Friendly greetings");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Diff from version 1 to 2"))
                .click();
        Locator diff = page.locator("#diff");
        assertThat(diff.locator("del")).hasText("-name: Greetings");
        assertThat(diff.locator("ins")).hasText("+name: Friendly greetings");
        screenshot(page.locator("section[aria-labelledby=history-title]"), "flow-history");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Roll back to version 1"))
                .click();
        assertThat(page.locator("#rollback"))
                .containsText("Its source is saved as version 3; version 2 stays in the history.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes, roll back to version 1"))
                .click();
        assertThat(page.getByText("Rolled back: version 3 has the source of version 1."))
                .hasAttribute("role", "status");
        assertThat(page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("3 (latest)")))
                .containsText("Greetings");
        assertThat(page.locator(".facts")).not().containsText("Friendly");
        assertThat(json(server.api("GET", "/api/v1/flows/greetings/versions/3", null, null)))
                .containsEntry("source", V1);
        page.getByLabel("From version").selectOption("1");
        page.getByLabel("To version").selectOption("3");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare versions"))
                .click();
        assertThat(page.locator("#diff")).containsText("The two versions have the same source.");
        assertThat(server.api("GET", "/api/v1/audit?action=/ui/flows", null, null)
                        .body())
                .contains("/ui/flows/{id}/versions/{version}/rollback")
                .contains("POST /ui/flows/new")
                .doesNotContain("/ui/flows/validate");
    }

    @Test
    void withoutCodeMirrorTheEditorIsAPlainTextareaThatStillChecksAndSaves() throws Exception {
        page.route("**/webjars/codemirror/**", route -> route.abort());
        page.navigate("/ui/flows/new");
        session.signIn("edith");
        assertThat(page).hasURL(Pattern.compile("/ui/flows/new$"));
        assertThat(page.locator(".CodeMirror")).hasCount(0);
        Locator source = page.getByLabel("Definition (YAML or JSON)");
        String broken = BROKEN.replace("greetings", "plain");
        source.fill(broken);
        Locator problem = page.locator("#flow-check .problem");
        assertThat(problem).containsText("line 9, column");
        problem.click();
        assertThat(source).isFocused();
        assertThat(page.evaluate("document.getElementById('flow-source').selectionStart"))
                .isEqualTo(broken.indexOf("type: mapp"));
        source.fill(broken.replace("type: mapp", "type: map"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/flows/plain$"));
        session.problems.removeIf(p -> p.contains("net::ERR_FAILED")); // the blocked scripts
    }

    @Test
    void aStaleEditIsRefusedWithAReloadOfferAndKeepsTheText() throws Exception {
        page.navigate("/ui/flows/nightly/edit");
        session.signIn("edith");
        assertThat(page).hasURL(Pattern.compile("/ui/flows/nightly/edit$"));
        var meanwhile = server.api("PUT", "/api/v1/flows/nightly", "application/yaml", """
                id: nightly
                name: Nightly export (changed elsewhere)
                trigger: { type: schedule, cron: "0 3 * * *" }
                steps:
                  - { id: export, type: map, expression: "2" }
                """);
        assertThat(meanwhile.statusCode()).as(meanwhile.body()).isEqualTo(200);
        HttpResponse<String> staleApi = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/flows/nightly"))
                        .header("Authorization", "Bearer " + TestServer.KEY)
                        .header("Content-Type", "application/yaml")
                        .header("If-Match", "\"1\"")
                        .PUT(HttpRequest.BodyPublishers.ofString(editorText()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(staleApi.statusCode())
                .as("the API refuses the same stale save")
                .isEqualTo(409);
        String mine = editorText().replace("expression: \"1\"", "expression: \"42\"");
        type(mine);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save"))
                .click();
        assertThat(page.getByText("someone saved a newer version")).isVisible();
        session.expectRefusedRequest(409);
        assertThat(editorText()).isEqualTo(mine);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Reload the editor with the latest version"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/ui/flows/nightly/edit$"));
        assertThat(page.getByText("You are editing version 2")).isVisible();
    }

    @Test
    void aViewerSeesNoEditingAndForgedActionsAreRefused() throws Exception {
        var started = json(server.api("POST", "/api/v1/flows/nightly/runs", "application/json", "{}"));
        String runId = String.valueOf(started.get("runId"));
        assertThat(server.awaitFinished(runId)).containsEntry("status", "SUCCEEDED");
        page.navigate("/ui/flows");
        session.signIn("victor");
        Locator row = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("nightly"));
        assertThat(row).containsText("enabled");
        assertThat(row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("SUCCEEDED")))
                .hasAttribute("href", "/ui/runs/" + runId);
        assertThat(row).containsText(" UTC");
        assertThat(page.getByText("New flow")).hasCount(0);
        page.navigate("/ui/flows/nightly");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Version history")))
                .isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")))
                .hasCount(0);
        assertThat(page.getByText("Roll back to version")).hasCount(0);
        assertThat(page.getByText("Rolling back needs the editor role or higher."))
                .isVisible();

        SignedIn viewer = SignedIn.login(server, "default", "victor", UiBrowser.PASSWORD);
        int before = ((Number) json(server.api("GET", "/api/v1/flows/nightly", null, null))
                        .get("version"))
                .intValue();
        assertThat(get(viewer, "/ui/flows/new").statusCode()).isEqualTo(403);
        assertThat(get(viewer, "/ui/flows/nightly/edit").statusCode()).isEqualTo(403);
        HttpResponse<String> create =
                post(viewer, "/ui/flows/new", Map.of("source", V1.replace("greetings", "forged")));
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.body()).contains("may not create a flow; that needs editor or higher");
        assertThat(post(viewer, "/ui/flows/nightly/edit", Map.of("source", "id: nightly", "version", "1"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(post(viewer, "/ui/flows/nightly/versions/1/rollback", Map.of("latest", String.valueOf(before)))
                        .statusCode())
                .isEqualTo(403);
        assertThat(post(viewer, "/ui/flows/validate", Map.of("source", V1)).statusCode())
                .isEqualTo(403);
        assertThat(server.api("GET", "/api/v1/flows/forged", null, null).statusCode())
                .isEqualTo(404);
        assertThat(json(server.api("GET", "/api/v1/flows/nightly", null, null))).containsEntry("version", before);
    }

    /** Replaces the editor's text as a user would: select all, then type (one input event). */
    private void type(String text) {
        page.locator(".CodeMirror-code").click();
        page.keyboard().press("Control+A");
        page.keyboard().insertText(text);
    }

    private String editorText() {
        return (String) page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()");
    }

    /** The 1-based editor line a gutter marker sits on. */
    private static int lineOf(Locator marker) {
        return Integer.parseInt(marker.locator("xpath=ancestor::div[contains(@class,'CodeMirror-gutter-wrapper')]/..")
                .locator(".CodeMirror-linenumber")
                .innerText()
                .strip());
    }

    /** One part of the page, checked with axe and put where {@link UiBrowser.Session#screenshot} puts pages. */
    private void screenshot(Locator part, String name) {
        session.assertAccessible();
        Path dir = Boolean.getBoolean("junction.docs.write")
                ? Path.of("..", "docs", "images")
                : Path.of("target", "ui-screenshots");
        part.screenshot(new Locator.ScreenshotOptions().setPath(dir.resolve(name + ".png")));
    }

    private static void user(String login, String role) throws Exception {
        UiBrowser.user(server, login, role, login);
    }

    private static HttpResponse<String> get(SignedIn who, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Cookie", "junction_session=" + who.cookie())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as htmx sends it: form-encoded, with the session's CSRF token. */
    private static HttpResponse<String> post(SignedIn who, String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "&" + b)
                .orElse("");
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Cookie", "junction_session=" + who.cookie())
                        .header("X-CSRF-Token", who.csrfToken())
                        .header("HX-Request", "true")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
