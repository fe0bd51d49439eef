package dev.junction.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.junction.engine.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real headless Chromium (the Debian package, driven by Playwright) for the web UI's browser
 * tests: one per test class ({@link #launch}), one {@link Session} (fresh cookies, one page) per
 * test. A session records every console error or warning and uncaught exception, and closing it
 * fails the test if any is left. With {@code -Djunction.docs.write=true} screenshots go to {@code
 * docs/images/}, else to {@code target/ui-screenshots/}.
 */
final class UiBrowser implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    private UiBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static UiBrowser launch() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: the web UI's browser tests need the Debian"
                    + " Chromium (apt-get update && apt-get install -y chromium); .ci/run installs it");
        }
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync")));
        return new UiBrowser(playwright, browser);
    }

    /** Creates a local user of the default workspace with the common test password. */
    static void user(TestServer server, String login, String role, String displayName) throws Exception {
        var r = server.api(
                "POST",
                "/api/v1/users",
                "application/json",
                Json.write(Map.of("login", login, "password", PASSWORD, "role", role, "displayName", displayName)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** A fresh browser context (no cookies) with one page on {@code baseUrl}. */
    Session open(String baseUrl) {
        return open(baseUrl, 1100, 760);
    }

    /** A fresh browser context with a window of {@code width} × {@code height} CSS pixels. */
    Session open(String baseUrl, int width, int height) {
        BrowserContext context = browser.newContext(
                new Browser.NewContextOptions().setBaseURL(baseUrl).setViewportSize(width, height));
        return new Session(context);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /** One test's page and what went wrong on it. */
    static final class Session implements AutoCloseable {
        final Page page;
        final List<String> problems = new CopyOnWriteArrayList<>();
        /** Every answer of 400 or more (request, what it sent, the answer's text), named when console errors are left. */
        final List<String> refusals = new CopyOnWriteArrayList<>();

        private final BrowserContext context;

        private Session(BrowserContext context) {
            this.context = context;
            this.page = context.newPage();
            page.setDefaultTimeout(10_000);
            page.onConsoleMessage(m -> {
                if ("error".equals(m.type()) || "warning".equals(m.type())) {
                    problems.add("console " + m.type() + " on " + page.url() + ": " + m.text());
                }
            });
            page.onPageError(e -> problems.add("page error on " + page.url() + ": " + e));
            // what a refused request sent and got back, so a failure names the field the server refused
            page.onResponse(r -> {
                if (r.status() >= 400) {
                    String answer;
                    try {
                        answer = r.text();
                    } catch (RuntimeException e) {
                        answer = "(no body: " + e.getMessage() + ")";
                    }
                    refusals.add(r.request().method() + " " + r.url() + " sent "
                            + r.request().postData() + " answered " + r.status() + ": " + abbreviate(answer));
                }
            });
        }

        /** The answer's text: of an HTML page, the words inside {@code <main>} without the markup. */
        private static String abbreviate(String text) {
            String body = text == null ? "" : text;
            int main = body.indexOf("<main");
            if (main >= 0) {
                body = body.substring(main).replaceAll("<[^>]*>", " ");
            }
            String flat = body.replaceAll("\\s+", " ").strip();
            return flat.length() > 600 ? flat.substring(0, 600) + "…" : flat;
        }

        /**
         * Waits until htmx has swapped and settled its last answer (no element carries
         * {@code htmx-request}, {@code htmx-swapping} or {@code htmx-settling}). Call it once the new
         * content is visible: a field filled while htmx still settles the swap can lose its value.
         */
        void settled() {
            page.waitForFunction("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')");
        }

        /** Fills in the sign-in form the page shows now, with the common test password. */
        void signIn(String login) {
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in to Junction")))
                    .isVisible();
            page.getByLabel("Login").fill(login);
            page.getByLabel("Password").fill(PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                    .click();
        }

        /**
         * Chromium logs every 4xx answer to a script's request as a console error; an action the
         * test makes fail on purpose answers one, which is not a page error. Exactly one such entry
         * is taken off the list.
         */
        void expectRefusedRequest(int status) {
            String expected = "Failed to load resource: the server responded with a status of " + status;
            String found = problems.stream()
                    .filter(p -> p.contains(expected))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("expected a refused request (" + status + "), saw " + problems));
            problems.remove(found);
        }

        /**
         * Runs axe-core (the WebJar the test server serves) on the page as it is now and fails on
         * any serious or critical violation of WCAG 2.1 A/AA, naming the rule and the elements.
         */
        @SuppressWarnings("unchecked")
        void assertAccessible() {
            if (!Boolean.TRUE.equals(page.evaluate("typeof window.axe !== 'undefined'"))) {
                page.addScriptTag(new Page.AddScriptTagOptions().setUrl("/webjars/axe-core/axe.min.js"));
            }
            List<String> violations = (List<String>) page.evaluate("""
                    async () => {
                      const result = await axe.run(document, {
                        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
                      return result.violations
                        .filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => v.impact + ' ' + v.id + ' (' + v.help + '): '
                          + v.nodes.map(n => n.target.join(' ')).join(', '));
                    }""");
            removeEmptyStyles();
            // axe's colour-contrast rule reads canvas pixels, and Chromium warns about how: not the page's doing
            problems.removeIf(p -> p.contains("Canvas2D: Multiple readback operations using getImageData"));
            assertThat(violations)
                    .as("serious or critical accessibility violations on " + page.url())
                    .isEmpty();
        }

        /** Checks the page with {@link #assertAccessible} and takes its screenshot. */
        void screenshot(String name) throws Exception {
            assertAccessible();
            boolean docs = Boolean.getBoolean("junction.docs.write");
            Path dir = docs ? Path.of("..", "docs", "images") : Path.of("target", "ui-screenshots");
            Files.createDirectories(dir);
            page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")));
            removeEmptyStyles();
        }

        /**
         * axe and Playwright's screenshot leave {@code style=""} on elements they touched; htmx
         * would copy that attribute while settling a later swap, which the CSP refuses. The page
         * is put back as it was.
         */
        private void removeEmptyStyles() {
            page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))");
        }

        /** Closes the context and fails if a console error or uncaught exception was left. */
        @Override
        public void close() {
            context.close();
            assertThat(problems)
                    .as("console errors and uncaught exceptions (refused requests: %s)", refusals)
                    .isEmpty();
        }
    }
}
