package dev.berth.server.it.auth;

import static dev.berth.server.it.auth.AuthRegistry.accessOf;
import static dev.berth.server.it.auth.AuthRegistry.assertTokenError;
import static dev.berth.server.it.auth.AuthRegistry.basic;
import static dev.berth.server.it.auth.AuthRegistry.header;
import static dev.berth.server.it.auth.AuthRegistry.json;
import static dev.berth.server.it.auth.AuthRegistry.okToken;
import static dev.berth.server.it.auth.AuthRegistry.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.auth.identity.RefreshTokens;
import dev.berth.server.it.auth.AuthRegistry.TokenReply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * {@code /token}, GET and OAuth2 POST: scopes and their grammar, partial and empty grants, every
 * refusal with its OAuth2 error, refresh tokens and their revocation, and the login throttle.
 *
 * <p>Failed logins are counted per address as well as per user, and every request here comes from
 * 127.0.0.1: the shared registry sees fewer than the throttle's 10 failures, and the throttle itself
 * is tested on a registry of its own.
 */
class TokenEndpointTest {
    private static final String POLICY = """
            rules:
              - repositories: ["library/*"]
                anonymous: [pull]
              - repositories: ["${user}", "${user}/**"]
                users: ["*"]
                actions: [pull, push, delete]
              - repositories: ["shared/**"]
                users: ["*"]
                actions: [pull]
            """;
    /** Colons and spaces: the user name ends at the first colon, the password may hold more. */
    private static final String ALICE_PASSWORD = "correct horse:battery:staple";
    private static final String ALICE = basic("alice", ALICE_PASSWORD);

    static AuthRegistry registry;

    @BeforeAll
    static void start() {
        registry = AuthRegistry.token(POLICY, Map.of());
        registry.addUser("alice", ALICE_PASSWORD, false);
        registry.addUser("bob", "bob-secret", false);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static HttpResponse<byte[]> get(String authorization, String... query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < query.length; i += 2) {
            parameters.computeIfAbsent(query[i], k -> new ArrayList<>()).add(query[i + 1]);
        }
        return registry.tokenRequest(authorization, parameters);
    }

    // Scopes

    @Test
    void repeatedScopesAreEachGranted() {
        TokenReply reply = okToken(get(ALICE, "service", registry.service(),
                "scope", "repository:alice/a:pull", "scope", "repository:alice/b:push", "scope", "repository:library/x:pull"));

        assertThat(accessOf(reply.access()))
                .containsExactly("repository:alice/a:pull", "repository:alice/b:push", "repository:library/x:pull");
        assertThat(reply.claims().path("sub").asText()).isEqualTo("alice");
    }

    @Test
    void spaceJoinedScopesAreEachGranted() {
        TokenReply reply = registry.token(ALICE, "repository:alice/a:pull repository:alice/b:pull,push");

        assertThat(accessOf(reply.access())).containsExactly("repository:alice/a:pull", "repository:alice/b:pull,push");
    }

    @Test
    void scopesOfOneRepositoryAreMerged() {
        TokenReply reply = registry.token(ALICE, "repository:alice/a:pull", "repository:alice/a:push", "repository:alice/a:pull");

        assertThat(accessOf(reply.access())).containsExactly("repository:alice/a:pull,push");
    }

    @Test
    void wildcardActionGetsWhatTheRulesGive() {
        assertThat(accessOf(registry.token(ALICE, "repository:alice/a:*").access()))
                .containsExactly("repository:alice/a:pull,push,delete");
        assertThat(accessOf(registry.token(ALICE, "repository:shared/x:*").access())).containsExactly("repository:shared/x:pull");
    }

    @Test
    void scopeWithResourceClassIsGrantedNoMoreThanTheRepositoryItself() {
        TokenReply own = registry.token(ALICE, "repository(plugin):alice/plugin:pull,push");
        TokenReply others = registry.token(ALICE, "repository(plugin):bob/plugin:pull");
        TokenReply anonymous = registry.token(null, "repository(plugin):library/x:pull,push");

        // The access claim has no class (as distribution's registries read it, a plugin grant is a
        // grant on the repository, which docker plugin install then pulls): never more than that.
        assertThat(withoutClass(accessOf(own.access()))).containsExactly("repository:alice/plugin:pull,push");
        assertThat(accessOf(others.access())).isEmpty();
        assertThat(withoutClass(accessOf(anonymous.access()))).containsExactly("repository:library/x:pull");
    }

    @Test
    void scopeNameWithHostAndPortParsesAndGrantsNothingHere() {
        TokenReply reply = registry.token(ALICE, "repository:localhost:5000/alice/b:pull");

        assertThat(accessOf(reply.access())).isEmpty();
    }

    @Test
    void partialGrantIsATokenWithFewerActions() {
        TokenReply reply = registry.token(ALICE, "repository:shared/x:pull,push,delete");

        assertThat(accessOf(reply.access())).containsExactly("repository:shared/x:pull");
    }

    @Test
    void emptyGrantIsATokenWithEmptyAccess() {
        TokenReply alice = registry.token(ALICE, "repository:bob/x:pull");
        TokenReply anonymous = registry.token(null, "repository:alice/x:push", "repository:library/x:push");

        assertThat(alice.access().isArray()).isTrue();
        assertThat(alice.access()).isEmpty();
        assertThat(anonymous.access()).isEmpty();
        assertThat(anonymous.claims().path("sub").asText()).isEmpty();
    }

    @Test
    void omittedServiceMeansTheRegistrysOwn() {
        TokenReply reply = okToken(get(null, "scope", "repository:library/x:pull"));

        JsonNode aud = reply.claims().get("aud");
        assertThat(aud.isArray() ? aud.get(0).asText() : aud.asText()).isEqualTo(registry.service());
    }

    // Refusals

    @Test
    void wrongPasswordIsRefusedWithBasicChallenge() {
        HttpResponse<byte[]> response = get(basic("alice", "not-her-password"), "service", registry.service(),
                "scope", "repository:alice/a:pull");

        assertTokenError(response, 401, "unauthorized");
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"berth\"");
        assertThat(text(response)).doesNotContain("not-her-password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic !!!not-base64!!!", "Basic bm9jb2xvbg==", "Bearer something", "Digest x"})
    void credentialsThatCannotBeReadAreRefusedNotIgnored(String authorization) {
        HttpResponse<byte[]> response = get(authorization, "service", registry.service(), "scope", "repository:alice/a:pull");

        assertTokenError(response, 401, "unauthorized");
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"berth\"");
    }

    @Test
    void unknownUserIsRefusedLikeAWrongPassword() {
        HttpResponse<byte[]> response = get(basic("mallory", "guess"), "service", registry.service());

        assertTokenError(response, 401, "unauthorized");
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"berth\"");
    }

    @Test
    void unknownServiceIsInvalidRequest() {
        assertTokenError(get(null, "service", "registry.evil.example", "scope", "repository:library/x:pull"), 400, "invalid_request");
        assertTokenError(get(null, "service", registry.service(), "service", registry.service()), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "repository:alice/a", "repository", "repository::pull", ":alice/a:pull", "repository:alice/a:Pull",
        "repository:alice/a:pull,,push", "repository:alice a:pull", "repository:alice/a:pull\"", "Repository:alice/a:pull",
        "repository(:alice/a:pull", "repository(Plugin):alice/a:pull", "repository:alice/a:pull\u0000"
    })
    void malformedScopeIsInvalidScope(String scope) {
        HttpResponse<byte[]> response = get(ALICE, "service", registry.service(), "scope", scope);

        assertTokenError(response, 400, "invalid_scope");
        assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
        assertThat(text(response)).doesNotContain(ALICE_PASSWORD);
    }

    // Refresh tokens

    @Test
    void offlineTokenBringsARefreshTokenForUsersOnly() {
        TokenReply alice = okToken(get(ALICE, "service", registry.service(), "scope", "repository:alice/a:pull",
                "offline_token", "true"));
        TokenReply anonymous = okToken(get(null, "service", registry.service(), "offline_token", "true"));
        TokenReply online = registry.token(ALICE, "repository:alice/a:pull");

        assertThat(alice.body().path("refresh_token").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(anonymous.body().has("refresh_token")).isFalse();
        assertThat(online.body().has("refresh_token")).isFalse();
    }

    @Test
    void oauthPasswordGrant() {
        TokenReply reply = okToken(registry.tokenPost("grant_type", "password", "username", "alice", "password", ALICE_PASSWORD,
                "client_id", "berth-it", "service", registry.service(), "scope", "repository:alice/a:pull,push repository:shared/x:push,pull"));

        JsonNode body = reply.body();
        assertThat(body.path("access_token").asText()).isEqualTo(reply.token());
        assertThat(body.path("expires_in").asLong()).isEqualTo(300);
        assertThat(body.path("issued_at").asText()).isNotEmpty();
        assertThat(body.path("scope").asText()).isEqualTo("repository:alice/a:pull,push repository:shared/x:pull");
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(reply.claims().path("sub").asText()).isEqualTo("alice");
        assertThat(accessOf(reply.access())).containsExactly("repository:alice/a:pull,push", "repository:shared/x:pull");
    }

    @Test
    void oauthOfflineAccessAndRefreshGrant() {
        TokenReply login = okToken(registry.tokenPost("grant_type", "password", "username", "alice", "password", ALICE_PASSWORD,
                "client_id", "berth-it", "access_type", "offline", "service", registry.service()));
        String refresh = login.body().path("refresh_token").asText();
        assertThat(refresh).matches("[A-Za-z0-9_-]{43}");
        assertThat(login.body().path("scope").asText()).isEmpty();

        TokenReply refreshed = okToken(registry.tokenPost("grant_type", "refresh_token", "refresh_token", refresh,
                "client_id", "berth-it", "service", registry.service(), "scope", "repository:alice/b:push"));

        assertThat(refreshed.token()).isNotEqualTo(login.token());
        assertThat(refreshed.claims().path("sub").asText()).isEqualTo("alice");
        assertThat(accessOf(refreshed.access())).containsExactly("repository:alice/b:push");
        assertThat(refreshed.body().path("scope").asText()).isEqualTo("repository:alice/b:push");
        assertThat(registry.head("/v2/", "Authorization", refreshed.authorization()).statusCode()).isEqualTo(200);
    }

    @Test
    void revokedRefreshTokenIsInvalidGrant() {
        String refresh = refreshToken("alice", ALICE_PASSWORD);
        assertThat(new RefreshTokens(registry.database(), registry.users()).revoke(refresh)).isTrue();

        assertTokenError(refreshWith(refresh), 400, "invalid_grant");
    }

    @Test
    void removedUsersRefreshTokenIsInvalidGrant() {
        registry.addUser("carol", "carol-secret", false);
        String refresh = refreshToken("carol", "carol-secret");
        okToken(refreshWith(refresh));

        assertThat(registry.users().remove("carol")).isTrue();

        assertTokenError(refreshWith(refresh), 400, "invalid_grant");
        assertTokenError(get(basic("carol", "carol-secret"), "service", registry.service()), 401, "unauthorized");
    }

    @Test
    void newPasswordRevokesRefreshTokens() {
        registry.addUser("dave", "dave-secret", false);
        String refresh = refreshToken("dave", "dave-secret");

        registry.users().setPassword("dave", "dave-new-secret");

        assertTokenError(refreshWith(refresh), 400, "invalid_grant");
        assertTokenError(refreshWith("A".repeat(43)), 400, "invalid_grant");
        assertTokenError(refreshWith("not a token"), 400, "invalid_grant");
    }

    @Test
    void postWithoutClientIdIsInvalidRequest() {
        assertTokenError(registry.tokenPost("grant_type", "password", "username", "alice", "password", ALICE_PASSWORD,
                "service", registry.service()), 400, "invalid_request");
    }

    @Test
    void postWithoutUsernameOrRefreshTokenIsInvalidRequest() {
        assertTokenError(registry.tokenPost("grant_type", "password", "password", ALICE_PASSWORD, "client_id", "berth-it"),
                400, "invalid_request");
        assertTokenError(registry.tokenPost("grant_type", "refresh_token", "client_id", "berth-it"), 400, "invalid_request");
    }

    @Test
    void oversizedOrGarbledFormsAreInvalidRequests() throws Exception {
        byte[] huge = ("grant_type=password&client_id=c&username=alice&password=" + "x".repeat(70 * 1024)).getBytes(UTF_8);

        assertTokenError(registry.post("/token", huge, "Content-Type", "application/x-www-form-urlencoded"), 400, "invalid_request");
        // An undecodable pair reads as a missing parameter, as Go's url.ParseQuery has it.
        assertTokenError(registry.post("/token", "grant_type=password&client_id=c&username=alice&password=%zz".getBytes(UTF_8),
                "Content-Type", "application/x-www-form-urlencoded"), 400, "invalid_request");
        RawSocket.Response garbled = RawSocket.send(registry.url(), "GET", "/token?scope=%zz&scope=repository%3Alibrary%2Fx%3Apull"
                + "&service=" + AuthRegistry.encode(registry.service()), "");
        assertThat(garbled.status()).isEqualTo(200);
        assertThat(accessOf(AuthRegistry.jwtPart(AuthRegistry.JSON.readTree(garbled.body()).path("token").asText(), 1)
                .get("access"))).containsExactly("repository:library/x:pull");
    }

    @Test
    void unsupportedGrantTypeIsRefused() {
        assertTokenError(registry.tokenPost("grant_type", "client_credentials", "client_id", "berth-it"), 400, "unsupported_grant_type");
        assertTokenError(registry.tokenPost("client_id", "berth-it"), 400, "unsupported_grant_type");
    }

    @Test
    void postWithWrongPasswordIsUnauthorized() {
        HttpResponse<byte[]> response = registry.tokenPost("grant_type", "password", "username", "bob", "password", "wrong:pass",
                "client_id", "berth-it");

        assertTokenError(response, 401, "unauthorized");
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"berth\"");
        assertThat(text(response)).doesNotContain("wrong:pass");
    }

    @Test
    void passwordWithColonsWorksInBasicAndForm() {
        TokenReply basicReply = registry.token(ALICE, "repository:alice/a:pull");
        TokenReply formReply = okToken(registry.tokenPost("grant_type", "password", "username", "alice", "password", ALICE_PASSWORD,
                "client_id", "berth-it"));

        assertThat(basicReply.claims().path("sub").asText()).isEqualTo("alice");
        assertThat(formReply.claims().path("sub").asText()).isEqualTo("alice");
    }

    // Secrets

    @Test
    void secretsNeverReachTheLogOrErrorBodies() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        List<String> bodies = new ArrayList<>();
        String wrong = "Wr0ng:Secret-" + System.nanoTime();
        String refresh;
        String access;
        try {
            bodies.add(text(get(basic("alice", wrong), "service", registry.service())));
            bodies.add(text(get(basic("alice", wrong), "service", "bogus-service")));
            bodies.add(text(get(basic("alice", wrong), "scope", "repository:x:pull\"" + wrong)));
            bodies.add(text(registry.tokenPost("grant_type", "password", "username", "alice", "password", wrong, "client_id", "c")));
            bodies.add(text(registry.tokenPost("grant_type", "password", "username", "alice", "password", wrong)));
            TokenReply login = okToken(get(ALICE, "service", registry.service(), "offline_token", "true", "scope",
                    "repository:alice/a:pull"));
            refresh = login.body().path("refresh_token").asText();
            access = login.token();
            assertThat(refreshWith(refresh).statusCode()).isEqualTo(200);
            bodies.add(text(registry.get("/v2/alice/a/manifests/x", "Authorization", "Bearer " + access + "x")));
            bodies.add(text(registry.get("/v2/alice/a/manifests/x", "Authorization", basic("alice", wrong))));
        } finally {
            root.detachAppender(appender);
        }
        List<String> logged = appender.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();

        for (String secret : List.of(wrong, ALICE_PASSWORD, refresh, access)) {
            assertThat(logged).as("log lines").noneMatch(line -> line.contains(secret));
        }
        for (String body : bodies) {
            assertThat(body).doesNotContain(wrong).doesNotContain(ALICE_PASSWORD).doesNotContain(refresh);
        }
    }

    // Throttle

    @Test
    void failedLoginsAreThrottledWithRetryAfter() {
        try (AuthRegistry own = AuthRegistry.token(POLICY, Map.of())) {
            own.addUser("victim", "victim-secret", false);
            own.addUser("other", "other-secret", false);
            Map<String, List<String>> query = Map.of("service", List.of(own.service()));
            for (int i = 0; i < 10; i++) {
                assertTokenError(own.tokenRequest(basic("victim", "guess-" + i), query), 401, "unauthorized");
            }

            HttpResponse<byte[]> locked = own.tokenRequest(basic("victim", "victim-secret"), query);
            HttpResponse<byte[]> sameAddress = own.tokenRequest(basic("other", "other-secret"), query);
            HttpResponse<byte[]> form = own.tokenPost("grant_type", "password", "username", "victim", "password", "victim-secret",
                    "client_id", "berth-it");

            for (HttpResponse<byte[]> response : List.of(locked, sameAddress, form)) {
                assertTokenError(response, 429, "too_many_requests");
                assertThat(Long.parseLong(header(response, "Retry-After"))).isBetween(1L, 300L);
                assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
            }
            // Anonymous requests name no user and are not logins: they still get tokens.
            assertThat(json(own.tokenRequest(null, query)).has("token")).isTrue();
        }
    }

    private static List<String> withoutClass(List<String> scopes) {
        return scopes.stream().map(scope -> scope.replaceFirst("^repository\\(plugin\\):", "repository:")).toList();
    }

    private static String refreshToken(String user, String password) {
        TokenReply login = okToken(registry.tokenPost("grant_type", "password", "username", user, "password", password,
                "client_id", "berth-it", "access_type", "offline"));
        return login.body().path("refresh_token").asText();
    }

    private static HttpResponse<byte[]> refreshWith(String refreshToken) {
        return registry.tokenPost("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "berth-it",
                "service", registry.service(), "scope", "repository:alice/a:pull");
    }
}
