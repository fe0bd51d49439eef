package dev.junction.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.HttpTransport;
import dev.junction.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS against a real HTTPS server that requires a client certificate (the JDK's
 * {@code HttpsServer}, certificates made by {@code keytool}).
 */
class ClientTlsTest {
    @TempDir
    static Path dir;

    private static TestCertificates serverCert;
    private static TestCertificates client;
    private static TestCertificates stranger;
    private static HttpsServer server;
    private static String base;
    private static final ConcurrentLinkedQueue<String> peers = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        serverCert = TestCertificates.generate(dir, "far-side", "ip:127.0.0.1");
        client = TestCertificates.generate(dir, "junction-client", null);
        stranger = TestCertificates.generate(dir, "stranger", null);

        SSLContext ssl = serverCert.serverContext(client);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", ex -> {
            var peer = (X509Certificate) ((HttpsExchange) ex).getSSLSession().getPeerCertificates()[0];
            peers.add(peer.getSubjectX500Principal().getName());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        base = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static OutboundHttp.Response get(SSLContext tls) throws ConnectorException {
        try (var client = HttpTransport.open(tls)) {
            HttpCaller caller =
                    new HttpCaller(client, 1024 * 1024, AddressPolicy.blockingInternal(List.of("127.0.0.1/32")));
            return caller.send(new OutboundHttp.Request(
                    "GET", base + "/status", Map.of(), Map.of(), null, Duration.ofSeconds(10)));
        }
    }

    @Test
    void presentsTheClientCertificateAndTrustsThePrivateCa() throws Exception {
        SSLContext tls = ClientTls.context(client.certificatePem(), client.keyPem(), serverCert.certificatePem());

        assertThat(get(tls).status()).isEqualTo(200);
        assertThat(peers).contains("CN=junction-client");
    }

    @Test
    void withoutTheRightCertificateTheHandshakeFailsWithTheTlsCode() throws Exception {
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        KeyStore ca = KeyStore.getInstance("PKCS12");
        ca.load(null, null);
        ca.setCertificateEntry("ca", serverCert.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ca);
        noCertificate.init(null, tmf.getTrustManagers(), null);
        SSLContext wrongCertificate =
                ClientTls.context(stranger.certificatePem(), stranger.keyPem(), serverCert.certificatePem());

        for (SSLContext tls : List.of(noCertificate, wrongCertificate)) {
            assertThatThrownBy(() -> get(tls))
                    .isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("TLS"))
                    .hasMessageContaining("TLS with 127.0.0.1:");
        }
    }

    @Test
    void withoutThePrivateCaTheServerIsNotTrusted() throws Exception {
        SSLContext tls = ClientTls.context(client.certificatePem(), client.keyPem(), null);

        assertThatThrownBy(() -> get(tls))
                .isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("TLS"));
    }

    @Test
    void badPemIsRefusedNamingTheField() throws Exception {
        String cert = client.certificatePem();
        String key = client.keyPem();

        assertThatThrownBy(() -> ClientTls.context("not a certificate", key, null))
                .isInstanceOfSatisfying(
                        ClientTls.InvalidPem.class, e -> assertThat(e.field()).isEqualTo("certificate"))
                .hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> ClientTls.context(key, key, null))
                .isInstanceOfSatisfying(
                        ClientTls.InvalidPem.class, e -> assertThat(e.field()).isEqualTo("certificate"))
                .hasMessageContaining("'PRIVATE KEY' block; expected 'CERTIFICATE'");
        assertThatThrownBy(() -> ClientTls.context(cert, cert, null))
                .isInstanceOfSatisfying(
                        ClientTls.InvalidPem.class, e -> assertThat(e.field()).isEqualTo("privateKey"));
        assertThatThrownBy(() -> ClientTls.context(cert, key.replace("PRIVATE KEY", "EC PRIVATE KEY"), null))
                .isInstanceOfSatisfying(
                        ClientTls.InvalidPem.class, e -> assertThat(e.field()).isEqualTo("privateKey"))
                .hasMessageContaining("openssl pkcs8 -topk8");
        String broken = TestCertificates.pem("PRIVATE KEY", new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ClientTls.context(cert, broken, null))
                .isInstanceOfSatisfying(
                        ClientTls.InvalidPem.class, e -> assertThat(e.field()).isEqualTo("privateKey"));
        assertThatThrownBy(() -> ClientTls.context(cert, stranger.keyPem(), null))
                .isInstanceOfSatisfying(
                        ClientTls.InvalidPem.class, e -> assertThat(e.field()).isEqualTo("privateKey"))
                .hasMessageContaining("does not belong to the certificate (CN=junction-client, EC key)");
        assertThatThrownBy(() -> ClientTls.context(cert, key, "garbage"))
                .isInstanceOfSatisfying(
                        ClientTls.InvalidPem.class, e -> assertThat(e.field()).isEqualTo("caCertificate"));
    }
}
