package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.junction.engine.json.Json;
import dev.junction.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mtls} connections through the real server to an HTTPS server that requires a client
 * certificate signed by nobody but itself (the JDK's {@code HttpsServer}; keytool certificates).
 */
class MutualTlsConnectionTest {
    @TempDir
    static Path dir;

    private static TestCertificates far;
    private static TestCertificates client;
    private static TestCertificates stranger;
    private static HttpsServer https;
    private static String base;
    private static TestServer server;
    private static final ConcurrentLinkedQueue<String> peers = new ConcurrentLinkedQueue<>();
    private static final List<String> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        far = TestCertificates.generate(dir, "far-side", "ip:127.0.0.1");
        client = TestCertificates.generate(dir, "junction-client", null);
        stranger = TestCertificates.generate(dir, "stranger", null);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(far.serverContext(client)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        https.createContext("/", ex -> {
            var peer = (X509Certificate) ((HttpsExchange) ex).getSSLSession().getPeerCertificates()[0];
            peers.add(ex.getRequestURI().getPath() + " "
                    + peer.getSubjectX500Principal().getName());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        https.start();
        base = "https://127.0.0.1:" + https.getAddress().getPort();
        server = new TestServer(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        https.stop(0);
        String key = client.keyPem().lines().skip(1).findFirst().orElseThrow();
        assertThat(answers).noneMatch(a -> a.contains(key));
    }

    private static HttpResponse<String> create(String id, TestCertificates who) throws Exception {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("type", "mtls");
        auth.put("certificate", who.certificatePem());
        auth.put("privateKey", who.keyPem());
        auth.put("caCertificate", far.certificatePem());
        var r = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        id,
                        "connector",
                        "http",
                        "config",
                        Map.of("baseUrl", base + "/" + id + "/"),
                        "auth",
                        auth,
                        "activate",
                        true)));
        answers.add(r.body());
        return r;
    }

    @Test
    void callsPresentTheClientCertificateAndTheWrongOneIsATlsTestFailure() throws Exception {
        var created = create("ledger", client);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body())
                .contains("\"status\":\"active\"")
                .contains("auth.certificate", "auth.privateKey")
                .doesNotContain("BEGIN PRIVATE KEY");
        var flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: ledger-call
                trigger: { type: manual }
                steps:
                  - id: call
                    type: call
                    connection: ledger
                    operation: request
                    input: { path: entries/1 }
                """);
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        var started = TestServer.json(server.api("POST", "/api/v1/flows/ledger-call/runs", "application/json", "{}"));
        Map<String, Object> run = server.awaitFinished(String.valueOf(started.get("runId")));
        answers.add(Json.write(run));
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("SUCCEEDED");
        assertThat(peers).contains("/ledger/entries/1 CN=junction-client");

        var refused = create("ledger-stranger", stranger);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("CONNECTION_TEST_FAILED").contains("\"code\":\"TLS\"");
        assertThat(server.api("GET", "/api/v1/connections/ledger-stranger", null, null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void badPemIsA422NamingTheField() throws Exception {
        var badCert = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        "bad-pem",
                        "connector",
                        "http",
                        "config",
                        Map.of("baseUrl", base),
                        "auth",
                        Map.of(
                                "type",
                                "mtls",
                                "certificate",
                                "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----",
                                "privateKey",
                                client.keyPem()))));
        assertThat(badCert.statusCode()).isEqualTo(422);
        assertThat(badCert.body()).contains("\"field\":\"auth.certificate\"").contains("AUTH_INVALID");
        var badKey = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        "bad-pem",
                        "connector",
                        "http",
                        "config",
                        Map.of("baseUrl", base),
                        "auth",
                        Map.of("type", "mtls", "certificate", client.certificatePem(), "privateKey", "secret stuff"))));
        assertThat(badKey.statusCode()).isEqualTo(422);
        assertThat(badKey.body()).contains("\"field\":\"auth.privateKey\"").doesNotContain("secret stuff");
        answers.add(badCert.body() + badKey.body());
    }
}
