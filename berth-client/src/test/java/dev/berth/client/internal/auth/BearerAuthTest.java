package dev.berth.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.ExchangeListener;
import dev.berth.client.Exchange;
import dev.berth.client.internal.http.InterceptorChain;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.client.internal.http.Scripted;
import dev.berth.spec.Registry;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bearer layer's logic against a scripted registry and token service: the registry accepts a
 * token whose scope list (the token's value here) covers what the path needs.
 */
class BearerAuthTest {
    private static final Registry REGISTRY = new Registry("registry.example.com");
    private final MutableClock clock = new MutableClock();
    private final List<String> warnings = new ArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private String realm = "https://auth.example.com/token";
    private int postStatus = 200;
    private String expiresIn = "300";

    private final Scripted tokenService = new Scripted(r -> {
        if (r.method().equals("POST") && postStatus != 200) {
            return Scripted.response(r, postStatus, "");
        }
        String params = r.method().equals("POST")
                ? new String(((dev.berth.client.internal.http.Body.Bytes) r.body()).content(), StandardCharsets.UTF_8)
                : r.uri().getRawQuery();
        List<String> scopes = new ArrayList<>();
        for (String p : params.split("&")) {
            if (p.startsWith("scope=")) {
                scopes.addAll(List.of(URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8).split(" ")));
            }
        }
        issued.incrementAndGet();
        return Scripted.response(r, 200, "{\"token\":\"" + String.join(" ", scopes) + "\",\"expires_in\":" + expiresIn
                + ",\"refresh_token\":\"refresh-1\"}");
    });

    private final Scripted registry = new Scripted(r -> {
        String needed = "repository:" + r.uri().getPath().split("/")[2] + ":pull";
        String auth = r.headers().firstValue("Authorization").orElse("");
        boolean ok = auth.startsWith("Bearer ") && List.of(auth.substring(7).split(" ")).stream()
                .map(Scope::parse).anyMatch(s -> s.covers(Scope.parse(needed)));
        return ok ? Scripted.response(r, 200, "")
                : Scripted.response(r, 401, "", "WWW-Authenticate",
                        "Bearer realm=\"" + realm + "\",service=\"svc\",scope=\"" + needed + "\"");
    });

    private InterceptorChain chain(CredentialStore store) {
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void exchange(Exchange exchange) {
            }

            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        Warnings w = new Warnings(listener);
        AuthStates states = new AuthStates(store, w);
        TokenClient tokens = new TokenClient(Scripted.chain(tokenService), clock);
        BearerAuth bearer = new BearerAuth(states, tokens, new RealmPolicy(java.util.Set.of(), PublicSuffixList.bundled()),
                w, listener, false, clock);
        return Scripted.chain(bearer, registry);
    }

    private static Request get(String repo) {
        return Request.of("GET", URI.create("https://registry.example.com/v2/" + repo + "/manifests/latest"), REGISTRY,
                List.of(Scope.repository(repo, "pull")));
    }

    private static CredentialStore alice() {
        return CredentialStore.of(Map.of(REGISTRY, Credential.basic("alice", "pw")));
    }

    @Test
    void answersTheChallengeThenUsesTheCacheAndMergesNewScopesFirst() throws IOException {
        InterceptorChain chain = chain(CredentialStore.none());
        assertThat(chain.execute(get("a")).status()).isEqualTo(200);
        assertThat(registry.requests).hasSize(2);
        assertThat(issued).hasValue(1);

        assertThat(chain.execute(get("a")).status()).isEqualTo(200);
        assertThat(issued).as("cached").hasValue(1);

        assertThat(chain.execute(get("b")).status()).isEqualTo(200);
        assertThat(issued).hasValue(2);
        assertThat(registry.requests).as("the realm is known: fetched before the request, no 401").hasSize(4);
        assertThat(tokenService.requests.get(1).uri().getRawQuery())
                .isEqualTo("service=svc&scope=repository%3Ab%3Apull&scope=repository%3Aa%3Apull");

        assertThat(chain.execute(get("a")).status()).isEqualTo(200);
        assertThat(issued).as("the merged token covers a too").hasValue(2);
    }

    @Test
    void sendsCredentialsByOAuthPostToARealmInTheRegistrysDomain() throws IOException {
        InterceptorChain chain = chain(alice());
        chain.execute(get("a"));
        Request post = tokenService.requests.getFirst();
        assertThat(post.method()).isEqualTo("POST");
        String form = new String(((dev.berth.client.internal.http.Body.Bytes) post.body()).content(), StandardCharsets.UTF_8);
        assertThat(form).contains("grant_type=password", "client_id=berth", "access_type=offline", "service=svc",
                "username=alice", "password=pw", "scope=repository%3Aa%3Apull");

        chain.execute(get("b"));
        String second = new String(((dev.berth.client.internal.http.Body.Bytes) tokenService.requests.get(1).body()).content(),
                StandardCharsets.UTF_8);
        assertThat(second).as("the refresh token replaces the password").contains("grant_type=refresh_token",
                "refresh_token=refresh-1").doesNotContain("password");
        assertThat(warnings).isEmpty();
    }

    @Test
    void fallsBackToGetWithBasicWhenOAuthIsMissing() throws IOException {
        postStatus = 404;
        chain(alice()).execute(get("a"));
        assertThat(tokenService.requests).extracting(Request::method).containsExactly("POST", "GET");
        Request get = tokenService.requests.get(1);
        assertThat(get.headers().firstValue("Authorization")).contains("Basic YWxpY2U6cHc=");
        assertThat(get.uri().getRawQuery()).startsWith("account=alice&service=svc&scope=");
    }

    @Test
    void aForeignRealmGetsNoCredentialsAndOneWarning() throws IOException {
        realm = "https://auth.attacker.example/token";
        InterceptorChain chain = chain(alice());
        chain.execute(get("a"));
        chain.execute(get("b"));
        assertThat(tokenService.requests).extracting(Request::method).containsOnly("GET");
        assertThat(tokenService.requests).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Authorization")).isEmpty();
            assertThat(r.uri().getRawQuery()).doesNotContain("alice");
        });
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst()).contains("not sending credentials for registry.example.com",
                "auth.attacker.example", "outside the registry's domain");
    }

    @Test
    void capsTheLoopWhenTokensAreRefused() throws IOException {
        Scripted refusing = new Scripted(r -> Scripted.response(r, 401, "", "WWW-Authenticate",
                "Bearer realm=\"" + realm + "\",service=\"svc\",scope=\"repository:a:pull\""));
        AuthStates states = new AuthStates(CredentialStore.none(), new Warnings(ExchangeListener.NONE));
        BearerAuth bearer = new BearerAuth(states, new TokenClient(Scripted.chain(tokenService), clock),
                new RealmPolicy(java.util.Set.of(), PublicSuffixList.bundled()), new Warnings(ExchangeListener.NONE),
                ExchangeListener.NONE, false, clock);
        Response response = Scripted.chain(bearer, refusing).execute(get("a"));
        assertThat(response.status()).isEqualTo(401);
        assertThat(refusing.requests).hasSize(2);
        assertThat(issued).hasValue(1);
    }

    @Test
    void expiresTokensAfterAtLeastSixtySeconds() throws IOException {
        expiresIn = "5";
        InterceptorChain chain = chain(CredentialStore.none());
        chain.execute(get("a"));
        clock.advance(Duration.ofSeconds(50));
        chain.execute(get("a"));
        assertThat(issued).as("5 s counts as 60 s").hasValue(1);
        clock.advance(Duration.ofSeconds(10));
        chain.execute(get("a"));
        assertThat(issued).hasValue(2);
    }

    @Test
    void mergesScopes() {
        List<Scope> merged = AuthState.merge(List.of(Scope.parse("repository:b:push"), Scope.parse("repository:a:pull")),
                List.of(Scope.parse("repository:a:push"), Scope.parse("repository:c:pull")));
        assertThat(merged).extracting(Scope::toString)
                .containsExactly("repository:b:push", "repository:a:pull,push", "repository:c:pull");
        assertThat(AuthState.covers(List.of(Scope.parse("repository:a:*")), List.of(Scope.parse("repository:a:delete")))).isTrue();
        assertThat(AuthState.covers(List.of(Scope.parse("repository:a:pull")), List.of(Scope.parse("repository:a:push")))).isFalse();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
