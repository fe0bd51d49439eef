package dev.junction.server.connection;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.StreamSource;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.port.Connections;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.vault.SecretsCache;
import dev.junction.store.JdbcConnections;
import dev.junction.store.JdbcOAuthStates;
import dev.junction.store.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    private final Proposals proposals;
    private final ConnectionClients clients;
    private final JdbcConnections store;
    private final Vault vault;
    private final SecretsCache secrets;
    private final JdbcOAuthStates oauthStates;
    private final Clock clock;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    ConnectionService(
            Proposals proposals,
            ConnectionClients clients,
            JdbcConnections store,
            Vault vault,
            SecretsCache secrets,
            JdbcOAuthStates oauthStates,
            Clock clock) {
        this.proposals = proposals;
        this.clients = clients;
        this.store = store;
        this.vault = vault;
        this.secrets = secrets;
        this.oauthStates = oauthStates;
        this.clock = clock;
    }

    /** An open session with its guard, for one version of one connection. */
    private record Live(int version, ConnectionClients.Opened opened, Guard guard) {
        ConnectorSession session() {
            return opened.session();
        }

        OutboundHttp client() {
            return opened.client();
        }
    }

    // ---- management ------------------------------------------------------------------------

    public Map<String, Object> create(String ws, Map<String, Object> body) {
        String text = newId(ws, body);
        Proposals.Proposal p = proposals.propose(text, body, Map.of());
        clients.checkOpens(ws, draft(ws, p), p.secrets());
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

    /**
     * Checks a new connection's id, connector, name and auth without its config, with the problems
     * {@link #create} would answer (the web UI's wizard asks for these before the configuration).
     */
    public void checkNew(String ws, Map<String, Object> body) {
        proposals.checkIdentity(newId(ws, body), body);
    }

    private String newId(String ws, Map<String, Object> body) {
        Object id = body.get("id");
        if (!(id instanceof String text) || !ID.matcher(text).matches()) {
            throw field("id", "CONNECTION_INVALID", "'id' must be lower-case letters, digits and '-' (at most 64)");
        }
        if (store.find(ws, text).isPresent()) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "CONNECTION_EXISTS",
                    "a connection '" + text + "' exists in this workspace",
                    Map.of("field", "id"));
        }
        return text;
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
        Proposals.Proposal p = proposals.propose(id, merged, kept);
        clients.checkOpens(ws, draft(ws, p), p.secrets());
        String status = old.status();
        Map<String, Object> lastTest = old.lastTest();
        // an authorization-code connection that needs a new authorization cannot pass a test; it
        // may still be corrected (say, a rotated client secret) before it is authorized again
        boolean awaitsAuthorization = status.equals("needs_reauth")
                && ConnectionAuth.AUTHORIZATION_CODE.equals(p.auth().get("type"));
        if (!awaitsAuthorization && (status.equals("active") || status.equals("needs_reauth"))) {
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
                awaitsAuthorization ? old.statusReason() : null,
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
        oauthStates.deleteConnection(ws, id);
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
        Connector connector = clients.connector(row.connector());
        if (!connector.describe().dynamicOperations()) {
            return connector.describe().operations().stream()
                    .map(ConnectorCatalog::operationView)
                    .toList();
        }
        try (ConnectionClients.Opened o = clients.open(ws, row, vault.all(ws, owner(id)))) {
            return o.session().operations().stream()
                    .map(ConnectorCatalog::operationView)
                    .toList();
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
                    row.status().equals("needs_reauth") ? "NEEDS_REAUTH" : "CONNECTION_INACTIVE",
                    "connection '%s' is %s%s; activate it first"
                            .formatted(
                                    id,
                                    row.status(),
                                    row.statusReason() == null ? "" : " (" + row.statusReason() + ")"),
                    false);
        }
        Map<String, String> stored = vault.all(ws, owner(id));
        ConnectionClients.Opened opened = clients.open(ws, row, stored);
        Live fresh = new Live(row.version(), opened, Guard.of(key, row.limits()));
        Live raced = live.putIfAbsent(key, fresh);
        if (raced != null) {
            opened.close();
            return raced;
        }
        return fresh;
    }

    private void evict(String ws, String id) {
        Live l = live.remove(ws + "/" + id);
        if (l != null) {
            l.opened().close();
        }
    }

    Optional<Map<String, Object>> runtime(String ws, String id) {
        Live l = live.get(ws + "/" + id);
        return l == null ? Optional.empty() : Optional.of(l.guard().status());
    }

    // ---- validation and sessions -----------------------------------------------------------

    private TestResult testProposal(String ws, Proposals.Proposal p) {
        return test(ws, draft(ws, p), p.secrets());
    }

    /** The proposal as a row that was never stored (status draft, version 0). */
    private JdbcConnections.Row draft(String ws, Proposals.Proposal p) {
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
        return clients.test(ws, row, stored);
    }

    private JdbcConnections.Row require(String ws, String id) {
        return store.find(ws, id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND,
                        "CONNECTION_NOT_FOUND",
                        "there is no connection '%s' in this workspace".formatted(id)));
    }

    private Map<String, Object> view(JdbcConnections.Row row) {
        return ConnectionViews.connection(
                row,
                vault.all(row.workspaceId(), owner(row.id())),
                runtime(row.workspaceId(), row.id()).orElse(null));
    }

    private Map<String, Object> testView(TestResult t) {
        return ConnectionViews.test(t, clock.instant());
    }

    private ApiProblem testFailed(TestResult t) {
        return ConnectionViews.testFailed(t, clock.instant());
    }

    static String owner(String id) {
        return "connection:" + id;
    }

    private static ApiProblem field(String field, String code, String message) {
        return Proposals.field(field, code, message);
    }
}
