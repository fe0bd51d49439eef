package dev.junction.server.connection;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.json.JsonSchemas;
import dev.junction.engine.port.Connections;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.connection.ConnectionAuth.FieldException;
import dev.junction.server.vault.SecretsCache;
import dev.junction.store.JdbcConnections;
import dev.junction.store.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Connections: validation against the connector's config schema, secrets split into the vault,
 * "test connection", activation, and at run time the engine's {@link Connections} port with one open
 * session, rate limit and circuit breaker per connection. A connection is usable by runs only when
 * {@code active}; a failed test never leaves a connection active with the configuration that failed.
 */
@Service
public class ConnectionService implements Connections {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** The first {@code config.<field>} a connector's CONFIG_INVALID message names. */
    private static final Pattern CONFIG_FIELD = Pattern.compile("config\\.[A-Za-z0-9_]+");

    static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    private final ConnectorRegistry registry;
    private final JdbcConnections store;
    private final Vault vault;
    private final SecretsCache secrets;
    private final HttpCaller http;
    private final Clock clock;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    ConnectionService(
            ConnectorRegistry registry,
            JdbcConnections store,
            Vault vault,
            SecretsCache secrets,
            HttpCaller http,
            Clock clock) {
        this.registry = registry;
        this.store = store;
        this.vault = vault;
        this.secrets = secrets;
        this.http = http;
        this.clock = clock;
    }

    /** An open session with its guard, for one version of one connection. */
    private record Live(int version, ConnectorSession session, Guard guard, OutboundHttp client) {}

    /** A proposed connection, validated: what is stored in clear, what goes to the vault. */
    record Proposal(
            String id,
            String name,
            Connector connector,
            Map<String, Object> config,
            Map<String, Object> auth,
            Map<String, Object> limits,
            Map<String, String> secrets) {}

    // ---- management ------------------------------------------------------------------------

    public Map<String, Object> create(String ws, Map<String, Object> body) {
        Object id = body.get("id");
        if (!(id instanceof String text) || !ID.matcher(text).matches()) {
            throw field("id", "CONNECTION_INVALID", "'id' must be lower-case letters, digits and '-' (at most 64)");
        }
        if (store.find(ws, text).isPresent()) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT, "CONNECTION_EXISTS", "a connection '" + text + "' exists in this workspace");
        }
        Proposal p = propose(ws, text, body, Map.of());
        checkOpens(ws, p);
        boolean activate = Boolean.TRUE.equals(body.get("activate"));
        Map<String, Object> lastTest = null;
        if (activate) {
            TestResult t = testProposal(ws, p);
            lastTest = testView(t);
            if (!t.ok()) {
                throw testFailed(t);
            }
        }
        Instant now = clock.instant();
        JdbcConnections.Row row = new JdbcConnections.Row(
                ws,
                p.id(),
                p.name(),
                p.connector().describe().id(),
                p.config(),
                p.auth(),
                p.limits(),
                activate ? "active" : "draft",
                null,
                1,
                lastTest,
                now,
                now);
        p.secrets().forEach((k, v) -> vault.put(ws, owner(p.id()), k, v));
        if (!store.insert(row)) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT, "CONNECTION_EXISTS", "a connection '" + text + "' exists in this workspace");
        }
        return view(row);
    }

    public Map<String, Object> update(String ws, String id, Map<String, Object> body, Integer ifMatch) {
        JdbcConnections.Row old = require(ws, id);
        if (ifMatch != null && ifMatch != old.version()) {
            throw new ApiProblem(
                    HttpStatus.PRECONDITION_FAILED,
                    "CONNECTION_CONFLICT",
                    "the connection is at version %d, not %d; GET it again".formatted(old.version(), ifMatch));
        }
        if (body.containsKey("id") && !id.equals(body.get("id"))) {
            throw field("id", "CONNECTION_INVALID", "'id' cannot change");
        }
        Map<String, Object> merged = new LinkedHashMap<>(body);
        merged.putIfAbsent("connector", old.connector());
        if (!old.connector().equals(merged.get("connector"))) {
            throw field("connector", "CONNECTION_INVALID", "'connector' cannot change; create a new connection");
        }
        merged.putIfAbsent("name", old.name());
        Map<String, String> kept = vault.all(ws, owner(id));
        Proposal p = propose(ws, id, merged, kept);
        checkOpens(ws, p);
        String status = old.status();
        Map<String, Object> lastTest = old.lastTest();
        if (status.equals("active") || status.equals("needs_reauth")) {
            TestResult t = testProposal(ws, p);
            lastTest = testView(t);
            if (!t.ok()) {
                throw testFailed(t); // the active configuration stays as it was
            }
            status = "active";
        }
        JdbcConnections.Row row = new JdbcConnections.Row(
                ws,
                id,
                p.name(),
                old.connector(),
                p.config(),
                p.auth(),
                p.limits(),
                status,
                null,
                old.version() + 1,
                lastTest,
                old.createdAt(),
                clock.instant());
        if (!store.update(row, old.version())) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT, "CONNECTION_CONFLICT", "the connection changed meanwhile; GET it again");
        }
        kept.keySet().stream().filter(k -> !p.secrets().containsKey(k)).forEach(k -> vault.delete(ws, owner(id), k));
        p.secrets().forEach((k, v) -> vault.put(ws, owner(id), k, v));
        evict(ws, id);
        return view(row);
    }

    public Map<String, Object> get(String ws, String id) {
        return view(require(ws, id));
    }

    public List<Map<String, Object>> list(String ws) {
        return store.list(ws).stream().map(this::view).toList();
    }

    public void delete(String ws, String id) {
        require(ws, id);
        store.delete(ws, id);
        vault.deleteOwner(ws, owner(id));
        evict(ws, id);
    }

    /** "Test connection" on the stored configuration; records the result. */
    public Map<String, Object> test(String ws, String id) {
        JdbcConnections.Row row = require(ws, id);
        TestResult t = testRow(ws, row);
        Map<String, Object> view = testView(t);
        store.setLastTest(ws, id, view);
        return view;
    }

    /** Tests and, when the test passes, activates; otherwise answers 422 and changes nothing. */
    public Map<String, Object> activate(String ws, String id) {
        JdbcConnections.Row row = require(ws, id);
        TestResult t = testRow(ws, row);
        store.setLastTest(ws, id, testView(t));
        if (!t.ok()) {
            throw testFailed(t);
        }
        store.setStatus(ws, id, "active", null, clock.instant());
        evict(ws, id);
        return view(require(ws, id));
    }

    public Map<String, Object> disable(String ws, String id) {
        require(ws, id);
        store.setStatus(ws, id, "disabled", "disabled by a user", clock.instant());
        evict(ws, id);
        return view(require(ws, id));
    }

    public List<Map<String, Object>> operations(String ws, String id) {
        JdbcConnections.Row row = require(ws, id);
        Connector connector = connector(row.connector());
        if (!connector.describe().dynamicOperations()) {
            return connector.describe().operations().stream()
                    .map(ConnectorCatalog::operationView)
                    .toList();
        }
        try (ConnectorSession s = open(ws, row, vault.all(ws, owner(id)))) {
            return s.operations().stream().map(ConnectorCatalog::operationView).toList();
        } catch (ConnectorException e) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, e.code(), e.getMessage());
        } catch (IllegalStateException e) {
            // operations() declares no checked exception; a document fetched on demand may fail
            if (e.getCause() instanceof ConnectorException c) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, c.code(), c.getMessage());
            }
            throw e;
        }
    }

    // ---- run time (the engine's port) -------------------------------------------------------

    @Override
    public Object call(String ws, String id, String operation, Object input, CallContext context)
            throws ConnectorException {
        Live l = live(ws, id);
        Duration wait = context.timeout() == null ? Duration.ofSeconds(30) : context.timeout();
        l.guard().acquire(wait);
        long t0 = System.nanoTime();
        try {
            Object out = l.session().invoke(operation, input, context);
            l.guard().success(System.nanoTime() - t0);
            return out;
        } catch (ConnectorException e) {
            l.guard().failure(System.nanoTime() - t0, e);
            throw e;
        } catch (RuntimeException e) {
            ConnectorException wrapped = new ConnectorException(
                    "CONNECTOR_FAILED",
                    "connector '%s' failed: %s".formatted(id, e.getClass().getSimpleName()),
                    false,
                    null,
                    null,
                    e);
            l.guard().failure(System.nanoTime() - t0, wrapped);
            throw wrapped;
        }
    }

    @Override
    public OutboundHttp http(String ws, String id) throws ConnectorException {
        Live l = live(ws, id);
        return request -> {
            l.guard().acquire(request.timeout() == null ? Duration.ofSeconds(30) : request.timeout());
            long t0 = System.nanoTime();
            try {
                OutboundHttp.Response r = l.client().send(request);
                if (r.status() >= 500 || r.status() == 429) {
                    l.guard()
                            .failure(
                                    System.nanoTime() - t0,
                                    new ConnectorException("HTTP_" + r.status(), "status " + r.status(), true));
                } else {
                    l.guard().success(System.nanoTime() - t0);
                }
                return r;
            } catch (ConnectorException e) {
                l.guard().failure(System.nanoTime() - t0, e);
                throw e;
            }
        };
    }

    @Override
    public Map<String, String> secrets(String ws) {
        return secrets.workspace(ws);
    }

    @Override
    public StreamSource stream(String ws, String id, StreamSource.Spec spec) throws ConnectorException {
        return live(ws, id).session().stream(spec);
    }

    private Live live(String ws, String id) throws ConnectorException {
        String key = ws + "/" + id;
        Live l = live.get(key);
        if (l != null) {
            return l;
        }
        JdbcConnections.Row row = store.find(ws, id).orElseThrow(() -> Connections.notFound(id));
        if (!row.status().equals("active")) {
            throw new ConnectorException(
                    "CONNECTION_INACTIVE",
                    "connection '%s' is %s%s; activate it first"
                            .formatted(
                                    id,
                                    row.status(),
                                    row.statusReason() == null ? "" : " (" + row.statusReason() + ")"),
                    false);
        }
        Map<String, String> stored = vault.all(ws, owner(id));
        ConnectorSession session = open(ws, row, stored);
        Live fresh = new Live(row.version(), session, Guard.of(key, row.limits()), client(row, stored));
        Live raced = live.putIfAbsent(key, fresh);
        if (raced != null) {
            session.close();
            return raced;
        }
        return fresh;
    }

    private void evict(String ws, String id) {
        Live l = live.remove(ws + "/" + id);
        if (l != null) {
            l.session().close();
        }
    }

    Optional<Map<String, Object>> runtime(String ws, String id) {
        Live l = live.get(ws + "/" + id);
        return l == null ? Optional.empty() : Optional.of(l.guard().status());
    }

    // ---- validation and sessions -----------------------------------------------------------

    private Proposal propose(String ws, String id, Map<String, Object> body, Map<String, String> kept) {
        for (String key : body.keySet()) {
            if (!List.of("id", "name", "connector", "config", "auth", "limits", "activate")
                    .contains(key)) {
                throw field(
                        key,
                        "CONNECTION_INVALID",
                        "unknown field '%s'; expected id, name, connector, config, auth, limits, activate"
                                .formatted(key));
            }
        }
        if (!(body.get("connector") instanceof String connectorId)) {
            throw field(
                    "connector",
                    "CONNECTION_INVALID",
                    "'connector' is required: the id of a connector from GET /api/v1/connectors");
        }
        Connector connector = registry.find(connectorId)
                .orElseThrow(() -> field(
                        "connector",
                        "CONNECTOR_NOT_FOUND",
                        "there is no connector '%s'; GET /api/v1/connectors lists them".formatted(connectorId)));
        Object name = body.getOrDefault("name", id);
        if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
            throw field("name", "CONNECTION_INVALID", "'name' must be text of 1 to 200 characters");
        }
        Map<String, Object> config = object(body.get("config"), "config");
        Map<String, Object> limits = object(body.get("limits"), "limits");
        Object authValue = body.get("auth");
        if (authValue != null && !(authValue instanceof Map<?, ?>)) {
            throw field(
                    "auth",
                    "AUTH_INVALID",
                    "'auth' must be an object such as {\"type\": \"bearer\", \"token\": \"...\"}");
        }
        ConnectorDescriptor d = connector.describe();
        Map<String, String> secretValues = new LinkedHashMap<>();
        Map<String, Object> plainConfig = new LinkedHashMap<>();
        List<String> writeOnly = writeOnlyFields(d.configSchema());
        Map<String, Object> full = new LinkedHashMap<>(config);
        for (String f : writeOnly) {
            if (!full.containsKey(f) && kept.containsKey("config." + f)) {
                full.put(f, kept.get("config." + f));
            }
        }
        List<String> problems = JsonSchemas.validate(d.configSchema(), full);
        if (!problems.isEmpty()) {
            String first = problems.getFirst();
            throw new ApiProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "CONFIG_INVALID",
                    "config: " + String.join("; ", problems),
                    Map.of("field", "config" + fieldOf(first), "errors", problems));
        }
        full.forEach((k, v) -> {
            if (writeOnly.contains(k)) {
                secretValues.put("config." + k, String.valueOf(v));
            } else {
                plainConfig.put(k, v);
            }
        });
        ConnectionAuth.Split auth;
        try {
            auth = ConnectionAuth.split((Map<?, ?>) authValue, d.authTypes(), kept);
            Guard.of("validation", limits);
        } catch (FieldException e) {
            throw field(e.field, e.code(), e.getMessage());
        } catch (ConnectorException e) {
            throw field("auth.type", e.code(), e.getMessage());
        }
        secretValues.putAll(auth.secrets());
        return new Proposal(id, n, connector, plainConfig, auth.plain(), limits, secretValues);
    }

    /**
     * Opens (and closes) a session on the proposal: connectors refuse configurations they cannot use
     * in {@code open}, without slow network calls (a malformed OpenAPI document, say), so such a
     * configuration is a 422 naming its field even when nothing is activated. Other failures are
     * left to "test connection".
     */
    private void checkOpens(String ws, Proposal p) {
        try {
            open(ws, draft(ws, p), p.secrets()).close();
        } catch (ConnectorException e) {
            if ("CONFIG_INVALID".equals(e.code())) {
                Matcher field = CONFIG_FIELD.matcher(e.getMessage());
                throw new ApiProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "CONFIG_INVALID",
                        e.getMessage(),
                        Map.of("field", field.find() ? field.group() : "config"));
            }
        } catch (RuntimeException e) {
            // a connector failing in open() is reported by "test connection", as before this check
        }
    }

    private TestResult testProposal(String ws, Proposal p) {
        return test(ws, draft(ws, p), p.secrets());
    }

    private JdbcConnections.Row draft(String ws, Proposal p) {
        return new JdbcConnections.Row(
                ws,
                p.id(),
                p.name(),
                p.connector().describe().id(),
                p.config(),
                p.auth(),
                p.limits(),
                "draft",
                null,
                0,
                null,
                clock.instant(),
                clock.instant());
    }

    private TestResult testRow(String ws, JdbcConnections.Row row) {
        return test(ws, row, vault.all(ws, owner(row.id())));
    }

    private TestResult test(String ws, JdbcConnections.Row row, Map<String, String> stored) {
        long t0 = System.nanoTime();
        try (ConnectorSession s = open(ws, row, stored)) {
            return s.test();
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (RuntimeException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "CONNECTOR_FAILED",
                    "the connector failed: " + e.getClass().getSimpleName());
        }
    }

    private ConnectorSession open(String ws, JdbcConnections.Row row, Map<String, String> stored)
            throws ConnectorException {
        Map<String, Object> config = new LinkedHashMap<>(row.config());
        Map<String, String> configSecrets = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            if (k.startsWith("config.")) {
                configSecrets.put(k.substring("config.".length()), v);
            }
        });
        OutboundHttp client = client(row, stored);
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                return client;
            }

            @Override
            public dev.junction.engine.connector.AddressPolicy addresses() {
                return http.addresses();
            }

            @Override
            public Clock clock() {
                return clock;
            }
        };
        return connector(row.connector()).open(new ConnectionConfig(ws, row.id(), config, configSecrets), context);
    }

    private OutboundHttp client(JdbcConnections.Row row, Map<String, String> stored) {
        Object base = row.config().get("baseUrl");
        return http.forConnection(
                null, base instanceof String s ? s : null, ConnectionAuth.authorizer(row.auth(), stored));
    }

    private Connector connector(String id) {
        return registry.find(id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "CONNECTOR_NOT_FOUND",
                        "the connector '%s' of this connection is not installed".formatted(id)));
    }

    private JdbcConnections.Row require(String ws, String id) {
        return store.find(ws, id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND,
                        "CONNECTION_NOT_FOUND",
                        "there is no connection '%s' in this workspace".formatted(id)));
    }

    private Map<String, Object> view(JdbcConnections.Row row) {
        Map<String, String> stored = vault.all(row.workspaceId(), owner(row.id()));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", row.id());
        v.put("name", row.name());
        v.put("connector", row.connector());
        v.put("config", row.config());
        v.put("auth", row.auth());
        v.put("secretsSet", ConnectionAuth.secretNames(stored, ""));
        v.put("limits", row.limits());
        v.put("status", row.status());
        if (row.statusReason() != null) {
            v.put("statusReason", row.statusReason());
        }
        v.put("version", row.version());
        if (row.lastTest() != null) {
            v.put("lastTest", row.lastTest());
        }
        runtime(row.workspaceId(), row.id()).ifPresent(r -> v.put("runtime", r));
        v.put("createdAt", row.createdAt().toString());
        v.put("updatedAt", row.updatedAt().toString());
        return v;
    }

    private Map<String, Object> testView(TestResult t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ok", t.ok());
        v.put("latencyMs", t.latencyMillis());
        if (t.code() != null) {
            v.put("code", t.code());
        }
        if (t.message() != null) {
            v.put("message", t.message());
        }
        v.put("at", clock.instant().toString());
        return v;
    }

    private ApiProblem testFailed(TestResult t) {
        return new ApiProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "CONNECTION_TEST_FAILED",
                "the connection test failed, so nothing was activated: " + t.message(),
                Map.of("test", testView(t)));
    }

    static String owner(String id) {
        return "connection:" + id;
    }

    @SuppressWarnings("unchecked")
    private static List<String> writeOnlyFields(Map<String, Object> schema) {
        if (!(schema.get("properties") instanceof Map<?, ?> props)) {
            return List.of();
        }
        return props.entrySet().stream()
                .filter(e -> e.getValue() instanceof Map<?, ?> p && Boolean.TRUE.equals(p.get("writeOnly")))
                .map(e -> String.valueOf(e.getKey()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw field(field, "CONNECTION_INVALID", "'%s' must be an object".formatted(field));
        }
        return (Map<String, Object>) m;
    }

    /** "/baseUrl: ..." → ".baseUrl" (the first problem's field, as a path below config). */
    private static String fieldOf(String problem) {
        if (problem.startsWith("$")) {
            problem = problem.substring(1);
        }
        if (problem.startsWith("/") || problem.startsWith(".")) {
            int end = problem.indexOf(':');
            String path = end > 0 ? problem.substring(0, end) : problem;
            return path.replace('/', '.').strip();
        }
        return "";
    }

    private static ApiProblem field(String field, String code, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, code, message, Map.of("field", field));
    }
}
