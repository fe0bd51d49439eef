package dev.junction.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.HttpTransport;
import dev.junction.testkit.FakeClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authorization code with PKCE, refresh and a dead grant against mock-oauth2-server on 127.0.0.1. */
class AuthorizationCodeAuthorizerTest {
    private static final String REDIRECT = "http://127.0.0.1:1/oauth/callback";
    private static final HttpCaller platform =
            new HttpCaller(HttpTransport.open(), 1024 * 1024, AddressPolicy.blockingInternal(List.of("127.0.0.1/32")));

    private final FakeClock clock = FakeClock.at("2026-01-01T00:00:00Z");
    private final List<Tokens> renewed = new CopyOnWriteArrayList<>();
    private volatile Tokens stored;
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final TokenSink sink = new TokenSink() {
        @Override
        public void renewed(Tokens tokens) {
            renewed.add(tokens);
            stored = tokens;
        }

        @Override
        public Tokens stored() {
            return stored;
        }

        @Override
        public void refused(String reason) {
            refusals.add(reason);
        }
    };
    private MockOAuth2Server provider;

    @BeforeEach
    void start() throws Exception {
        // rotating refresh tokens: a used refresh token is no longer accepted
        provider = new MockOAuth2Server(new OAuth2Config(
                false, null, null, true, new OAuth2TokenProvider(), Set.of(), new MockWebServerWrapper(null)));
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        provider.shutdown();
    }

    private TokenEndpoint endpoint(String issuer) {
        OutboundHttp counting = request -> {
            tokenRequests.incrementAndGet();
            return platform.send(request);
        };
        return new TokenEndpoint(
                counting, provider.tokenEndpointUrl(issuer).toString(), "crm-app", null, ClientAuth.BASIC, clock);
    }

    /** The code the provider's redirect carries (it approves without a login page). */
    private String authorizationCode(Pkce pkce) throws Exception {
        String url = pkce.authorizeUrl(
                provider.authorizationEndpointUrl("default").toString(), "crm-app", REDIRECT, "openid");
        try (HttpClient browser = HttpClient.newHttpClient()) {
            var r = browser.send(
                    HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(302);
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(REDIRECT).contains("state=" + pkce.state());
            String query = URI.create(location).getRawQuery();
            for (String pair : query.split("&")) {
                if (pair.startsWith("code=")) {
                    return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
            throw new AssertionError("no code in " + location);
        }
    }

    private Tokens exchange(Pkce pkce, String verifier) throws Exception {
        return endpoint("default")
                .request(Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        authorizationCode(pkce),
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        verifier));
    }

    private static String bearer(AuthorizationCodeAuthorizer auth) throws ConnectorException {
        return auth.authorize(new OutboundHttp.Request("GET", "http://x.test/", Map.of(), Map.of(), null, null))
                .header("Authorization");
    }

    @Test
    void theProviderChecksTheVerifierAgainstTheChallenge() throws Exception {
        Pkce pkce = Pkce.create(new SecureRandom());
        Pkce other = Pkce.create(new SecureRandom());

        assertThatThrownBy(() -> exchange(pkce, other.verifier()))
                .isInstanceOfSatisfying(
                        TokenRefusedException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"))
                .hasMessageContaining("authorization_code request (HTTP 400)");
        Tokens tokens = exchange(pkce, pkce.verifier());
        assertThat(tokens.accessToken()).startsWith("ey");
        assertThat(tokens.refreshToken()).isNotBlank();
        assertThat(tokens.expiresAt()).isAfter(clock.instant().plus(Duration.ofMinutes(50)));
    }

    @Test
    void refreshesShortlyBeforeExpiryAndOnceAfterA401() throws Exception {
        Pkce pkce = Pkce.create(new SecureRandom());
        Tokens first = exchange(pkce, pkce.verifier());
        var auth = new AuthorizationCodeAuthorizer(endpoint("default"), first, sink, clock);
        int before = tokenRequests.get();

        assertThat(bearer(auth)).isEqualTo("Bearer " + first.accessToken());
        clock.advance(Duration.ofMinutes(58)); // more than a minute left
        assertThat(bearer(auth)).isEqualTo("Bearer " + first.accessToken());
        assertThat(tokenRequests.get()).isEqualTo(before);

        clock.advance(Duration.ofMinutes(1).plusSeconds(30));
        String second = bearer(auth);
        assertThat(second).isNotEqualTo("Bearer " + first.accessToken());
        assertThat(renewed).hasSize(1);
        assertThat(renewed.getFirst().refreshToken()).isNotBlank();

        assertThat(auth.unauthorized()).isTrue();
        assertThat(auth.unauthorized()).isFalse(); // once
        assertThat(bearer(auth)).isNotEqualTo(second);
        assertThat(renewed).hasSize(2);
        assertThat(refusals).isEmpty();
    }

    @Test
    void aRefusedRefreshIsReportedOnceAndEveryRequestNeedsReauthAfterwards() throws Exception {
        Pkce pkce = Pkce.create(new SecureRandom());
        Tokens first = exchange(pkce, pkce.verifier());
        // another issuer of the same provider does not know this refresh token
        var auth = new AuthorizationCodeAuthorizer(endpoint("tenant2"), first, sink, clock);
        clock.advance(Duration.ofHours(2));

        assertThatThrownBy(() -> bearer(auth))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo("NEEDS_REAUTH"))
                .hasMessageContaining("refused to refresh")
                .hasMessageContaining("invalid_grant");
        int requests = tokenRequests.get();
        assertThatThrownBy(() -> bearer(auth))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo("NEEDS_REAUTH"));
        assertThat(tokenRequests.get()).isEqualTo(requests);
        assertThat(refusals).hasSize(1);
        assertThat(auth.unauthorized()).isFalse();
    }

    @Test
    void aRefreshTokenRotatedByAnotherSessionIsAdoptedInsteadOfGivingUp() throws Exception {
        Pkce pkce = Pkce.create(new SecureRandom());
        Tokens first = exchange(pkce, pkce.verifier());
        stored = first;
        var node1 = new AuthorizationCodeAuthorizer(endpoint("default"), first, sink, clock);
        var node2 = new AuthorizationCodeAuthorizer(endpoint("default"), first, sink, clock);
        clock.advance(Duration.ofHours(2));

        String renewedByNode1 = bearer(node1);
        assertThat(stored.refreshToken()).isNotEqualTo(first.refreshToken()); // rotated

        assertThat(bearer(node2)).isEqualTo(renewedByNode1); // its refresh was refused; it took node 1's
        assertThat(refusals).isEmpty();
    }

    @Test
    void withoutTokensOrARefreshTokenTheConnectionNeedsAuthorization() throws Exception {
        var never = new AuthorizationCodeAuthorizer(endpoint("default"), null, sink, clock);
        assertThatThrownBy(() -> bearer(never)).hasMessageContaining("has not been authorized yet");

        Tokens noRefresh = Tokens.granted("abc", null, Duration.ofMinutes(10), clock.instant());
        var auth = new AuthorizationCodeAuthorizer(endpoint("default"), noRefresh, sink, clock);
        assertThat(bearer(auth)).isEqualTo("Bearer abc");
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> bearer(auth))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo("NEEDS_REAUTH"))
                .hasMessageContaining("no refresh token");
        assertThat(refusals).hasSize(1);
        assertThat(tokenRequests).hasValue(0);
    }
}
