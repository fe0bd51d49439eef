package dev.junction.server;

import static org.awaitility.Awaitility.await;

import dev.junction.engine.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real server in this JVM on a random port with SQLite in a temporary data directory, and the
 * HTTP helpers tests drive it with. One per test class.
 */
final class TestServer implements AutoCloseable {
    static final String KEY = "jct_test_key_0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConfigurableApplicationContext app;
    private final String base;

    TestServer(Map<String, String> properties) throws IOException {
        this(properties, null);
    }

    /** With {@code clock} in place of the system clock (null: the system clock). */
    TestServer(Map<String, String> properties, Clock clock) throws IOException {
        Path data = Files.createTempDirectory("junction-e2e");
        Map<String, Object> props = new HashMap<>(Map.of(
                "JUNCTION_PORT", // application.properties reads server.port from it
                "0",
                "JUNCTION_BIND_ADDRESS",
                "127.0.0.1",
                "JUNCTION_DATA_DIR",
                data.toString(),
                "JUNCTION_ADMIN_API_KEY",
                KEY,
                "JUNCTION_OUTBOUND_ALLOW",
                "127.0.0.1/32,localhost"));
        props.putAll(properties);
        SpringApplication application = new SpringApplication(JunctionApplication.class);
        application.setDefaultProperties(props);
        if (clock != null) {
            // after the configuration classes registered their beans: replace the "clock" bean
            application.addInitializers(context -> context.addBeanFactoryPostProcessor(factory -> {
                ((BeanDefinitionRegistry) factory).removeBeanDefinition("clock");
                factory.registerSingleton("clock", clock);
            }));
        }
        app = application.run();
        base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    String baseUrl() {
        return base;
    }

    <T> T bean(String name, Class<T> type) {
        return app.getBean(name, type);
    }

    <T> T bean(Class<T> type) {
        return app.getBean(type);
    }

    HttpResponse<String> send(String method, String path, String contentType, String body, boolean auth)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (auth) {
            b.header("Authorization", "Bearer " + KEY);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> api(String method, String path, String contentType, String body) throws Exception {
        return send(method, path, contentType, body, true);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.read(r.body());
    }

    /** The run once it has finished (SUCCEEDED, FAILED or CANCELLED), with its steps. */
    Map<String, Object> awaitFinished(String runId) {
        return await("run " + runId + " finished")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> json(api("GET", "/api/v1/runs/" + runId, null, null)),
                        run -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.get("status")));
    }

    @Override
    public void close() {
        app.close();
    }
}
