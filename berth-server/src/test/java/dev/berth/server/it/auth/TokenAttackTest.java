package dev.berth.server.it.auth;

import static dev.berth.server.it.auth.AuthRegistry.accessOf;
import static dev.berth.server.it.auth.AuthRegistry.assertError;
import static dev.berth.server.it.auth.AuthRegistry.assertTokenError;
import static dev.berth.server.it.auth.AuthRegistry.basic;
import static dev.berth.server.it.auth.AuthRegistry.bearer;
import static dev.berth.server.it.auth.AuthRegistry.header;
import static dev.berth.server.it.auth.AuthRegistry.json;
import static dev.berth.server.it.auth.AuthRegistry.text;
import static dev.berth.server.it.auth.ForgedTokens.access;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.berth.server.it.auth.AuthRegistry.Image;
import dev.berth.server.it.auth.AuthRegistry.TokenReply;
import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack catalogue at the HTTP level: forged, altered and misdirected tokens, tokens used beyond
 * their scope, cross-repository mounts without read access, scope injection at the token endpoint,
 * hostile names and oversized headers. Every refusal is asserted with its exact challenge.
 */
class TokenAttackTest {
    private static final String POLICY = """
            rules:
              - repositories: ["${user}", "${user}/**"]
                users: ["*"]
                actions: [pull, push, delete]
            """;
    private static final String ALICE_PASSWORD = "alice:pass:word";
    private static final String ALICE = basic("alice", ALICE_PASSWORD);
    private static final String ADMIN = basic("admin", "admin-secret");
    private static final String APP = "/v2/alice/app/manifests/v1";
    private static final String APP_PULL = "repository:alice/app:pull";

    static AuthRegistry registry;
    static ForgedTokens forge;
    static Image app;
    static Image secret;

    @BeforeAll
    static void start() {
        registry = AuthRegistry.token(POLICY, Map.of());
        registry.addUser("alice", ALICE_PASSWORD, false);
        registry.addUser("admin", "admin-secret", true);
        forge = new ForgedTokens(registry);
        app = registry.pushImage("alice/app", "v1", registry.token(ALICE, "repository:alice/app:pull,push").authorization());
        secret = registry.pushImage("private/b", "v1", registry.token(ADMIN, "repository:private/b:pull,push").authorization());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static HttpResponse<byte[]> pullApp(String authorization) {
        return registry.get(APP, "Authorization", authorization, "Accept", MediaTypes.OCI_MANIFEST);
    }

    @Test
    void honestTokensOfEveryShapeAreAccepted() {
        // The controls: each forgery below differs from one of these in one respect only.
        JWTClaimsSet claims = forge.claims("alice", access("alice/app", "pull")).build();
        String honest = forge.honest(claims);
        String kidOnly = ForgedTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(forge.keyId()).build(), claims, forge.privateKey());

        assertThat(pullApp(bearer(honest)).statusCode()).isEqualTo(200);
        assertThat(pullApp(bearer(kidOnly)).statusCode()).isEqualTo(200);
        assertThat(pullApp("bearer " + honest).statusCode()).as("the scheme is case-insensitive").isEqualTo(200);
        assertThat(pullApp(registry.token(ALICE, APP_PULL).authorization()).statusCode()).isEqualTo(200);
    }

    static Stream<Named<String>> forgeries() {
        JWTClaimsSet good = forge.claims("alice", access("alice/app", "pull")).build();
        Instant now = Instant.now();
        KeyPair attacker = ForgedTokens.ecKey();
        X509Certificate attackerSelfSigned = ForgedTokens.certificate("CN=berth token signer", attacker, "CN=berth token signer",
                attacker.getPrivate(), false);
        KeyPair evilCa = ForgedTokens.ecKey();
        X509Certificate evilRoot = ForgedTokens.certificate("CN=evil root", evilCa, "CN=evil root", evilCa.getPrivate(), true);
        X509Certificate evilLeaf = ForgedTokens.certificate("CN=evil leaf", attacker, "CN=evil root", evilCa.getPrivate(), false);
        String honest = forge.honest(good);
        String[] parts = honest.split("\\.");
        String widened = ForgedTokens.b64(forge.claims("alice", access("alice/app", "pull", "push", "delete")).build().toString());
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[signature.length / 2] ^= 0x01;

        return Stream.of(
                Named.of("alg none", ForgedTokens.unsigned(good)),
                Named.of("alg none, signature kept", ForgedTokens.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2]),
                Named.of("HS256 keyed with the certificate PEM", forge.hmac(forge.certificatePem().getBytes(UTF_8), good)),
                Named.of("HS256 keyed with the public key DER", forge.hmac(forge.publicKeyDer(), good)),
                Named.of("re-signed by an untrusted key with its own x5c", ForgedTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(JOSEObjectType.JWT).keyID(ForgedTokens.libtrustId(attacker))
                        .x509CertChain(ForgedTokens.x5c(attackerSelfSigned)).build(), good, attacker.getPrivate())),
                Named.of("untrusted x5c chain (leaf and root)", ForgedTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(JOSEObjectType.JWT).x509CertChain(ForgedTokens.x5c(evilLeaf, evilRoot)).build(), good, attacker.getPrivate())),
                Named.of("trusted certificate in x5c, signed by another key", ForgedTokens.sign(forge.honestHeader().build(), good,
                        attacker.getPrivate())),
                Named.of("trusted certificate after an untrusted leaf", ForgedTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(JOSEObjectType.JWT).x509CertChain(ForgedTokens.x5c(attackerSelfSigned, forge.certificate())).build(),
                        good, attacker.getPrivate())),
                Named.of("trusted kid, signed by another key", ForgedTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(JOSEObjectType.JWT).keyID(forge.keyId()).build(), good, attacker.getPrivate())),
                Named.of("jwk header carrying the signer's key", ForgedTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(JOSEObjectType.JWT).jwk(ForgedTokens.jwk(attacker)).build(), good, attacker.getPrivate())),
                Named.of("honest signature, with a jku header", ForgedTokens.sign(
                        forge.honestHeader().jwkURL(URI.create("http://127.0.0.1:1/jwks")).build(), good, forge.privateKey())),
                Named.of("expired", forge.honest(forge.claims("alice", access("alice/app", "pull"))
                        .issueTime(Date.from(now.minusSeconds(900))).notBeforeTime(Date.from(now.minusSeconds(900)))
                        .expirationTime(Date.from(now.minusSeconds(120))).build())),
                Named.of("nbf in the future", forge.honest(forge.claims("alice", access("alice/app", "pull"))
                        .notBeforeTime(Date.from(now.plusSeconds(120))).build())),
                Named.of("no exp", forge.honest(forge.claims("alice", access("alice/app", "pull")).expirationTime(null).build())),
                Named.of("wrong aud", forge.honest(forge.claims("alice", access("alice/app", "pull")).audience("registry.example.com").build())),
                Named.of("aud list without this service", forge.honest(forge.claims("alice", access("alice/app", "pull"))
                        .audience(List.of("a.example", "127.0.0.1:1")).build())),
                Named.of("no aud", forge.honest(forge.claims("alice", access("alice/app", "pull")).audience((String) null).build())),
                Named.of("wrong iss", forge.honest(forge.claims("alice", access("alice/app", "pull")).issuer("evil").build())),
                Named.of("claims widened after signing", parts[0] + "." + widened + "." + parts[2]),
                Named.of("signature altered", parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature)),
                Named.of("signature stripped", parts[0] + "." + parts[1] + "."),
                Named.of("JSON instead of a JWS", "{\"access\":[]}"),
                Named.of("two parts", parts[0] + "." + parts[1]),
                Named.of("malformed access claim", forge.honest(forge.claims("alice", null).claim("access", "alice/app:pull").build())));
    }

    @ParameterizedTest
    @MethodSource("forgeries")
    void forgedTokenIsInvalidToken(String token) {
        HttpResponse<byte[]> response = pullApp(bearer(token));

        registry.assertBearerChallenge(response, APP_PULL, "invalid_token");
    }

    @Test
    void emptyOrBlankBearerIsChallenged() {
        registry.assertBearerChallenge(pullApp("Bearer "), APP_PULL, null);
        registry.assertBearerChallenge(pullApp("Bearer  x"), APP_PULL, "invalid_token");
    }

    @Test
    void basicCredentialsAtTheRegistryGetTheBearerChallenge() {
        // Token mode takes tokens only; the challenge sends the client to the realm, with no error.
        registry.assertBearerChallenge(pullApp(ALICE), APP_PULL, null);
    }

    // Scope

    @Test
    void pullTokenCannotPush() {
        String pull = registry.token(ALICE, APP_PULL).authorization();
        byte[] manifest = AuthRegistry.manifest(new byte[] {1}, new byte[] {2});

        registry.assertBearerChallenge(registry.put("/v2/alice/app/manifests/v2", manifest, "Content-Type", MediaTypes.OCI_MANIFEST,
                "Authorization", pull), "repository:alice/app:pull,push", "insufficient_scope");
        registry.assertBearerChallenge(registry.post("/v2/alice/app/blobs/uploads/", null, "Authorization", pull),
                "repository:alice/app:pull,push", "insufficient_scope");
        registry.assertBearerChallenge(registry.delete("/v2/alice/app/manifests/" + app.digest(), "Authorization", pull),
                "repository:alice/app:delete", "insufficient_scope");
        assertThat(pullApp(pull).statusCode()).isEqualTo(200);
    }

    @Test
    void pushOnlyTokenCannotPull() {
        String push = registry.token(ALICE, "repository:alice/app:push").authorization();

        registry.assertBearerChallenge(registry.post("/v2/alice/app/blobs/uploads/", null, "Authorization", push),
                "repository:alice/app:pull,push", "insufficient_scope");
        registry.assertBearerChallenge(pullApp(push), APP_PULL, "insufficient_scope");
    }

    @Test
    void tokenForOneRepositoryDoesNotOpenAnother() {
        String token = registry.token(ALICE, "repository:alice/app:pull,push,delete").authorization();

        registry.assertBearerChallenge(registry.get("/v2/alice/other/manifests/v1", "Authorization", token),
                "repository:alice/other:pull", "insufficient_scope");
        registry.assertBearerChallenge(registry.get("/v2/private/b/manifests/v1", "Authorization", token),
                "repository:private/b:pull", "insufficient_scope");
        registry.assertBearerChallenge(registry.get("/v2/private/b/blobs/" + secret.layer(), "Authorization", token),
                "repository:private/b:pull", "insufficient_scope");
        registry.assertBearerChallenge(registry.get("/v2/alice/app/tags/list", "Authorization",
                registry.token(ALICE, "repository:alice/app2:pull").authorization()), APP_PULL, "insufficient_scope");
        registry.assertBearerChallenge(registry.get("/v2/private/b/referrers/" + secret.digest(), "Authorization", token),
                "repository:private/b:pull", "insufficient_scope");
        registry.assertBearerChallenge(registry.get("/v2/private/b/tags/list", "Authorization", token),
                "repository:private/b:pull", "insufficient_scope");
        registry.assertBearerChallenge(registry.get("/v2/_catalog", "Authorization", token), "registry:catalog:*", "insufficient_scope");
    }

    @Test
    void whatARepositoryDeletedStaysUnreadableThere() {
        // CVE-2026-35172's class: a blob or manifest deleted from a repository must not come back
        // through a cache or through another repository holding the same content.
        String alice = registry.token(ALICE, "repository:alice/del:pull,push,delete", "repository:private/b:pull").authorization();
        byte[][] content = AuthRegistry.content();
        registry.pushBlob("alice/del", content[0], alice);
        registry.pushBlob("alice/del", content[1], alice);
        registry.pushBlob("private/b", content[1], registry.token(ADMIN, "repository:private/b:pull,push").authorization());
        byte[] manifest = AuthRegistry.manifest(content[0], content[1]);
        Digest manifestDigest = Digest.sha256(manifest);
        Digest layer = Digest.sha256(content[1]);
        assertThat(registry.put("/v2/alice/del/manifests/v1", manifest, "Content-Type", MediaTypes.OCI_MANIFEST,
                "Authorization", alice).statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/alice/del/manifests/" + manifestDigest, "Authorization", alice,
                "Accept", MediaTypes.OCI_MANIFEST).statusCode()).isEqualTo(200);

        assertThat(registry.delete("/v2/alice/del/manifests/" + manifestDigest, "Authorization", alice).statusCode()).isEqualTo(202);
        assertThat(registry.delete("/v2/alice/del/blobs/" + layer, "Authorization", alice).statusCode()).isEqualTo(202);

        assertError(registry.get("/v2/alice/del/manifests/" + manifestDigest, "Authorization", alice,
                "Accept", MediaTypes.OCI_MANIFEST), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/alice/del/manifests/v1", "Authorization", alice, "Accept", MediaTypes.OCI_MANIFEST),
                404, "MANIFEST_UNKNOWN");
        assertError(registry.head("/v2/alice/del/blobs/" + layer, "Authorization", alice), 404, "BLOB_UNKNOWN");
        assertError(registry.get("/v2/alice/del/blobs/" + layer, "Authorization", alice), 404, "BLOB_UNKNOWN");
        assertThat(registry.post("/v2/alice/del/blobs/uploads/?mount=" + layer, null, "Authorization", alice).statusCode())
                .as("no mount from a repository alice cannot read").isEqualTo(202);
        assertError(registry.head("/v2/alice/del/blobs/" + layer, "Authorization", alice), 404, "BLOB_UNKNOWN");
    }

    @Test
    void tokenDeniedForAnotherRepositoryGrantsNothingThere() {
        TokenReply reply = registry.token(ALICE, "repository:private/b:pull", "repository:admin/x:pull,push");

        assertThat(accessOf(reply.access())).isEmpty();
        registry.assertBearerChallenge(registry.get("/v2/private/b/manifests/v1", "Authorization", reply.authorization()),
                "repository:private/b:pull", "insufficient_scope");
    }

    // Mounts

    @Test
    void mountWithoutPullOnTheSourceIsAPlainUpload() {
        TokenReply reply = registry.token(ALICE, "repository:alice/m:pull,push", "repository:private/b:pull");
        assertThat(accessOf(reply.access())).containsExactly("repository:alice/m:pull,push");

        for (String query : List.of("?mount=" + secret.layer() + "&from=private/b", "?mount=" + secret.layer())) {
            HttpResponse<byte[]> response = registry.post("/v2/alice/m/blobs/uploads/" + query, null,
                    "Authorization", reply.authorization());

            assertThat(response.statusCode()).as("POST %s: %s", query, text(response)).isEqualTo(202);
            assertThat(header(response, "Location")).contains("/v2/alice/m/blobs/uploads/");
            assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
            assertThat(header(response, "Docker-Content-Digest")).isNull();
        }
        assertError(registry.head("/v2/alice/m/blobs/" + secret.layer(), "Authorization", reply.authorization()), 404, "BLOB_UNKNOWN");
        assertError(registry.get("/v2/alice/m/blobs/" + secret.layer(), "Authorization", reply.authorization()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void mountWithPullOnTheSourceLinksTheBlob() {
        String admin = registry.token(ADMIN, "repository:admin/m:pull,push", "repository:private/b:pull").authorization();
        String alice = registry.token(ALICE, "repository:alice/m2:pull,push", "repository:alice/app:pull").authorization();

        HttpResponse<byte[]> mounted = registry.post("/v2/admin/m/blobs/uploads/?mount=" + secret.layer() + "&from=private/b",
                null, "Authorization", admin);
        HttpResponse<byte[]> own = registry.post("/v2/alice/m2/blobs/uploads/?mount=" + app.layer() + "&from=alice/app",
                null, "Authorization", alice);

        assertThat(mounted.statusCode()).as(text(mounted)).isEqualTo(201);
        assertThat(header(mounted, "Docker-Content-Digest")).isEqualTo(secret.layer().toString());
        assertThat(own.statusCode()).as(text(own)).isEqualTo(201);
        assertThat(registry.head("/v2/alice/m2/blobs/" + app.layer(), "Authorization", alice).statusCode()).isEqualTo(200);
    }

    @Test
    void unauthenticatedMountIsChallengedForTheSourceToo() {
        HttpResponse<byte[]> response = registry.post("/v2/alice/m/blobs/uploads/?mount=" + secret.layer() + "&from=private/b", null);

        JsonNode error = registry.assertBearerChallenge(response, "repository:alice/m:pull,push repository:private/b:pull", null);
        List<String> detail = new ArrayList<>();
        error.get("detail").forEach(d -> detail.add(d.path("Type").asText() + ":" + d.path("Name").asText() + ":"
                + d.path("Action").asText()));
        assertThat(detail).containsExactly("repository:alice/m:pull", "repository:alice/m:push", "repository:private/b:pull");
    }

    @Test
    void mountChallengeNamesOnlyValidDistinctSources() {
        registry.assertBearerChallenge(registry.post("/v2/alice/m/blobs/uploads/?mount=" + secret.layer() + "&from=alice/m", null),
                "repository:alice/m:pull,push", null);
        registry.assertBearerChallenge(registry.post("/v2/alice/m/blobs/uploads/?mount=" + secret.layer() + "&from="
                + AuthRegistry.encode("b\" error=\"x"), null), "repository:alice/m:pull,push", null);
        registry.assertBearerChallenge(registry.post("/v2/alice/m/blobs/uploads/?mount=" + secret.layer() + "&from="
                + AuthRegistry.encode("a,b:push x"), null), "repository:alice/m:pull,push", null);
    }

    @Test
    void mountWithPushTokenButNoPullFromIsStillAnUpload() {
        // A token whose grant for the source is push only: still no read, so still no mount.
        registry.addUser("eve", "eve-secret", false);
        String eve = registry.token(basic("eve", "eve-secret"), "repository:eve/x:pull,push", "repository:alice/app:push,pull")
                .authorization();

        HttpResponse<byte[]> response = registry.post("/v2/eve/x/blobs/uploads/?mount=" + app.layer() + "&from=alice/app", null,
                "Authorization", eve);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void uploadSessionsStayInTheirRepository() {
        String alice = registry.token(ALICE, "repository:alice/up:pull,push").authorization();
        registry.addUser("mallory", "mallory-secret", false);
        String mallory = registry.token(basic("mallory", "mallory-secret"), "repository:mallory/x:pull,push").authorization();
        HttpResponse<byte[]> started = registry.post("/v2/alice/up/blobs/uploads/", null, "Authorization", alice);
        assertThat(started.statusCode()).isEqualTo(202);
        String location = header(started, "Location");
        String id = header(started, "Docker-Upload-UUID");

        registry.assertBearerChallenge(registry.send(registry.request(location).method("PATCH",
                BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).header("Authorization", mallory)),
                "repository:alice/up:pull,push", "insufficient_scope");
        assertError(registry.send(registry.request("/v2/mallory/x/blobs/uploads/" + id).method("PATCH",
                BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).header("Authorization", mallory)),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.get("/v2/mallory/x/blobs/uploads/" + id, "Authorization", mallory), 404, "BLOB_UPLOAD_UNKNOWN");
        HttpResponse<byte[]> status = registry.get(location, "Authorization", alice);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(header(status, "Range")).isEqualTo("0-0");
    }

    // Scope injection at the token endpoint

    @Test
    void spaceJoinedScopesInOneValueAreNeverWidened() {
        TokenReply reply = registry.token(ALICE, "repository:alice/app:pull,push repository:private/b:*");

        assertThat(accessOf(reply.access())).containsExactly("repository:alice/app:pull,push");
        registry.assertBearerChallenge(registry.get("/v2/private/b/manifests/v1", "Authorization", reply.authorization()),
                "repository:private/b:pull", "insufficient_scope");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "repository:alice/app:pull\" error=\"x",
        "repository:alice/app:pull\",scope=\"repository:private/b:pull",
        "repository:alice/app:pull,push\",\"name\":\"private/b",
        "repository:private/b\":pull",
        "repository:alice/app:pull\r\nX-Injected: 1",
        "repository:alice/app:pull\nWWW-Authenticate: Basic realm=\"x\"",
        "repository:alice/app:pull%22%20error%3D%22x",
        "repository:alice/app:pull;push",
        "repository:alice/app:pull\\\",push"
    })
    void craftedScopesAreRefusedAndNeverReflectedIntoHeaders(String scope) {
        HttpResponse<byte[]> response = registry.tokenRequest(ALICE, Map.of("service", List.of(registry.service()),
                "scope", List.of(scope)));

        assertTokenError(response, 400, "invalid_scope");
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.equalsIgnoreCase("X-Injected"));
        assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
        assertThat(json(response).has("token")).isFalse();
    }

    @Test
    void encodedCommasAndQuotesInOneScopeNeverWidenTheGrant() {
        // %2C is a comma once decoded: two actions in one scope, granted as the rules allow, no more.
        HttpResponse<byte[]> response = registry.send(registry.request("/token?service=" + AuthRegistry.encode(registry.service())
                + "&scope=repository%3Aprivate%2Fb%3Apull%2Cpush%20repository%3Aalice%2Fapp%3Apull").GET()
                .header("Authorization", ALICE));

        TokenReply reply = AuthRegistry.okToken(response);
        assertThat(accessOf(reply.access())).containsExactly("repository:alice/app:pull");
    }

    // Names

    @ParameterizedTest
    @ValueSource(strings = {
        "/v2/Library/alpine/manifests/latest", "/v2/alice%2Fapp/manifests/v1", "/v2/alice/App/manifests/v1",
        "/v2/alice/../private/b/manifests/v1", "/v2/../v2/alice/app/manifests/v1", "/v2/alice/./app/manifests/v1",
        "/v2/alice//app/manifests/v1", "/v2/alice/app%00/manifests/v1", "/v2/-alice/app/tags/list",
        "/v2/alice/app%2F..%2F..%2Fprivate/blobs/uploads/"
    })
    void invalidNamesAre400EvenWithAuthOn(String target) {
        String token = registry.token(ALICE, "repository:alice/app:pull,push").token();
        for (String authorization : new String[] {null, "Bearer " + token}) {
            String method = target.endsWith("/uploads/") ? "POST" : "GET";
            RawSocket.Response response = RawSocket.send(registry.url(), method, target,
                    (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Content-Length: 0\r\n");

            assertThat(response.status()).as("%s %s: %s", method, target, response.text()).isEqualTo(400);
            assertThat(response.text()).contains("\"code\":\"NAME_INVALID\"");
            assertThat(response.all("www-authenticate")).isEmpty();
        }
    }

    // Header sizes

    @Test
    void headerBlockOverTheLimitIs431() {
        RawSocket.Response response = RawSocket.send(registry.url(), "GET", APP,
                "Authorization: Bearer " + "a".repeat(17 * 1024) + "\r\n");

        assertThat(response.status()).isEqualTo(431);
    }

    @Test
    void bogusTokenJustUnderTheLimitIsInvalidToken() {
        String dotted = "a".repeat(5 * 1024) + "." + "b".repeat(5 * 1024) + "." + "c".repeat(5 * 1024);

        registry.assertBearerChallenge(pullApp(bearer("a".repeat(15 * 1024))), APP_PULL, "invalid_token");
        registry.assertBearerChallenge(pullApp(bearer(dotted)), APP_PULL, "invalid_token");
    }

    @Test
    void manyScopesInOneTokenRequestAreHandled() {
        List<String> scopes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            scopes.add("repository:alice/r" + i + ":pull,push");
        }
        TokenReply reply = registry.token(ALICE, String.join(" ", scopes.subList(0, 100)));

        assertThat(reply.access()).hasSize(100);
        assertThat(Set.copyOf(accessOf(reply.access()))).contains("repository:alice/r99:pull,push");
    }

    // Passwords

    @Test
    void passwordWithColonsLogsIn() {
        TokenReply reply = registry.token(ALICE, APP_PULL);

        assertThat(reply.claims().path("sub").asText()).isEqualTo("alice");
        assertThat(pullApp(reply.authorization()).statusCode()).isEqualTo(200);
        assertTokenError(registry.tokenRequest(basic("alice", "alice"), Map.of("scope", List.of(APP_PULL))), 401, "unauthorized");
        assertTokenError(registry.tokenRequest(basic("alice:pass", "word"), Map.of("scope", List.of(APP_PULL))), 401, "unauthorized");
    }

    @Test
    void digestOfTheTamperedManifestIsNeverServed() {
        // The widened forgery above must not have changed anything: the manifest is the pushed one.
        HttpResponse<byte[]> response = pullApp(registry.token(ALICE, APP_PULL).authorization());

        assertThat(Digest.sha256(response.body())).isEqualTo(app.digest());
    }
}
