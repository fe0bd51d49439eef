package dev.junction.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.HttpTransport;
import dev.junction.testkit.FakeClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client credentials against a real OAuth 2.0 server (mock-oauth2-server on 127.0.0.1) and a local
 * downstream that records the Authorization header it receives.
 */
class ClientCredentialsAuthorizerTest {
    private static final String SECRET = "cc-Secret-4711";
    private static HttpServer downstream;
    private static final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger unauthorizedLeft = new AtomicInteger();
    private static HttpCaller platform;

    private MockOAuth2Server provider; // one per test: its request log starts empty
    private final FakeClock clock = FakeClock.at("2026-01-01T00:00:00Z");
    private final AtomicInteger tokenRequests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/", ex -> {
            seen.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            int status = unauthorizedLeft.getAndDecrement() > 0 ? 401 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        downstream.start();
        platform = new HttpCaller(
                HttpTransport.open(), 1024 * 1024, AddressPolicy.blockingInternal(List.of("127.0.0.1/32")));
    }

    @AfterAll
    static void stop() {
        downstream.stop(0);
    }

    @BeforeEach
    void reset() throws Exception {
        seen.clear();
        unauthorizedLeft.set(0);
        provider = new MockOAuth2Server(new StrictClientRoute("orders-client", "the-right-secret"));
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stopProvider() {
        provider.shutdown();
    }

    private TokenEndpoint endpoint(ClientAuth auth) {
        OutboundHttp counting = request -> {
            tokenRequests.incrementAndGet();
            return platform.send(request);
        };
        return new TokenEndpoint(
                counting, provider.tokenEndpointUrl("default").toString(), "orders-client", SECRET, auth, clock);
    }

    private OutboundHttp.Response call(ClientCredentialsAuthorizer auth) throws ConnectorException {
        String base = "http://127.0.0.1:" + downstream.getAddress().getPort();
        return platform.forConnection(null, base, auth)
                .send(new OutboundHttp.Request("GET", "/orders", Map.of(), Map.of(), null, Duration.ofSeconds(5)));
    }

    @Test
    void fetchesOneTokenForSeveralCallsUntilShortlyBeforeExpiry() throws Exception {
        var auth = new ClientCredentialsAuthorizer(endpoint(ClientAuth.BASIC), "orders.read", null, clock);

        for (int i = 0; i < 3; i++) {
            assertThat(call(auth).status()).isEqualTo(200);
        }

        assertThat(tokenRequests).hasValue(1);
        assertThat(seen).hasSize(3).allMatch(h -> h.startsWith("Bearer ey")).containsOnly(seen.peek());
        var request = provider.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getHeader("Authorization"))
                .isEqualTo("Basic "
                        + Base64.getEncoder()
                                .encodeToString(("orders-client:" + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getBody().readUtf8())
                .contains("grant_type=client_credentials", "scope=orders.read")
                .doesNotContain(SECRET);

        clock.advance(Duration.ofSeconds(3600 - 120)); // the mock server's tokens live about 3600 s
        call(auth);
        assertThat(tokenRequests).hasValue(1);
        clock.advance(Duration.ofSeconds(70)); // now inside the renewal margin of 60 s
        call(auth);
        assertThat(tokenRequests).hasValue(2);
        assertThat(seen.stream().distinct()).hasSize(2);
    }

    @Test
    void refetchesTheTokenOnceAfterA401() throws Exception {
        var auth = new ClientCredentialsAuthorizer(endpoint(ClientAuth.POST), null, "orders-api", clock);
        call(auth);
        unauthorizedLeft.set(1);

        assertThat(call(auth).status()).isEqualTo(200);

        assertThat(tokenRequests).hasValue(2);
        assertThat(seen).hasSize(3);
        var first = provider.takeRequest(1, TimeUnit.SECONDS);
        assertThat(first.getHeader("Authorization")).isNull();
        assertThat(first.getBody().readUtf8())
                .contains("client_id=orders-client", "client_secret=" + SECRET, "audience=orders-api");
    }

    @Test
    void aRefusedTokenRequestIsAuthFailedQuotingTheProviderButNotTheSecret() throws Exception {
        String strictUrl = provider.baseUrl().resolve(StrictClientRoute.PATH).toString();
        var right =
                new TokenEndpoint(platform, strictUrl, "orders-client", "the-right-secret", ClientAuth.BASIC, clock);
        assertThat(right.request(Map.of("grant_type", "client_credentials")).accessToken())
                .isEqualTo("strict-token");
        var wrong = new TokenEndpoint(platform, strictUrl, "orders-client", SECRET, ClientAuth.BASIC, clock);
        var auth = new ClientCredentialsAuthorizer(wrong, null, null, clock);

        assertThatThrownBy(() -> call(auth))
                .isInstanceOf(TokenRefusedException.class)
                .satisfies(e -> {
                    assertThat(((ConnectorException) e).code()).isEqualTo("AUTH_FAILED");
                    assertThat(((ConnectorException) e).retryable()).isFalse();
                    assertThat(((TokenRefusedException) e).error()).isEqualTo("invalid_client");
                })
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("invalid_client: Invalid client secret ***")
                .hasMessageNotContaining(SECRET);
        assertThat(seen).isEmpty();
    }

    @Test
    void aBlockedTokenAddressIsRefusedByThePlatformPolicy() {
        HttpCaller strict = new HttpCaller(HttpTransport.open(), 1024, AddressPolicy.blockingInternal(List.of()));
        var endpoint = new TokenEndpoint(
                strict, provider.tokenEndpointUrl("default").toString(), "c", SECRET, ClientAuth.BASIC, clock);
        var auth = new ClientCredentialsAuthorizer(endpoint, null, null, clock);

        assertThatThrownBy(() -> auth.authorize(
                        new OutboundHttp.Request("GET", "http://example.test/", Map.of(), Map.of(), null, null)))
                .isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo("ADDRESS_BLOCKED"))
                .hasMessageContaining("token endpoint");
    }
}
