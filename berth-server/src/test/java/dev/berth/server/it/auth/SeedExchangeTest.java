package dev.berth.server.it.auth;

import static dev.berth.server.it.auth.AuthRegistry.accessOf;
import static dev.berth.server.it.auth.AuthRegistry.assertError;
import static dev.berth.server.it.auth.AuthRegistry.basic;
import static dev.berth.server.it.auth.AuthRegistry.bearer;
import static dev.berth.server.it.auth.AuthRegistry.header;
import static dev.berth.server.it.auth.AuthRegistry.json;
import static dev.berth.server.it.auth.AuthRegistry.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.it.auth.AuthRegistry.Image;
import dev.berth.server.it.auth.AuthRegistry.TokenReply;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.auth.Challenge;
import dev.berth.spec.auth.KeyIds;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker token exchange exactly as a client meets it on {@code registry-1.docker.io}: the 401 and
 * its challenge, the anonymous token from the realm, the retried request; then the catalog, which
 * takes {@code registry:catalog:*}.
 */
class SeedExchangeTest {
    private static final String POLICY = """
            rules:
              - repositories: ["library/*"]
                anonymous: [pull]
            """;
    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final String MANIFEST = "/v2/library/alpine/manifests/latest";

    static AuthRegistry registry;
    static Image alpine;

    @BeforeAll
    static void start() {
        registry = AuthRegistry.token(POLICY, Map.of());
        registry.addUser("admin", ADMIN_PASSWORD, true);
        TokenReply push = registry.token(basic("admin", ADMIN_PASSWORD), "repository:library/alpine:pull,push");
        alpine = registry.pushImage("library/alpine", "latest", push.authorization());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void anonymousManifestGetIsChallengedWithTheScopeItNeeds() {
        HttpResponse<byte[]> response = registry.get(MANIFEST);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"http://127.0.0.1:"
                + registry.port() + "/token\",service=\"127.0.0.1:" + registry.port()
                + "\",scope=\"repository:library/alpine:pull\"");
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        assertThat(text(response)).isEqualTo("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\","
                + "\"detail\":[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"library/alpine\",\"Action\":\"pull\"}]}]}");
    }

    @Test
    void anonymousHeadIsChallengedWithoutBody() {
        HttpResponse<byte[]> response = registry.head(MANIFEST);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly(registry.bearerChallenge("repository:library/alpine:pull", null));
    }

    @Test
    void baseChallengeNamesNoScope() {
        HttpResponse<byte[]> response = registry.get("/v2/");

        JsonNode error = registry.assertBearerChallenge(response, null, null);
        assertThat(error.has("detail")).as("detail of %s", error).isFalse();
    }

    @Test
    void anonymousTokenFromTheChallengeOpensTheManifest() throws Exception {
        Challenge challenge = Challenge.parse(header(registry.get(MANIFEST), "WWW-Authenticate")).getFirst();
        assertThat(challenge.scheme()).isEqualTo("bearer");
        String url = challenge.param("realm") + "?service=" + AuthRegistry.encode(challenge.param("service"))
                + "&scope=" + AuthRegistry.encode(challenge.param("scope"));
        Instant before = Instant.now().minusSeconds(1);

        TokenReply reply = AuthRegistry.okToken(registry.send(registry.request(url).GET()));

        Instant after = Instant.now().plusSeconds(1);
        JsonNode body = reply.body();
        assertThat(fieldNames(body)).containsExactly("token", "access_token", "expires_in", "issued_at");
        assertThat(body.get("token").isTextual()).isTrue();
        assertThat(body.get("access_token").asText()).isEqualTo(reply.token());
        assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
        assertThat(body.get("expires_in").asLong()).isGreaterThanOrEqualTo(60).isEqualTo(300);
        String issuedAt = body.get("issued_at").asText();
        assertThat(issuedAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
        Instant issued = OffsetDateTime.parse(issuedAt, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        assertThat(issued).isBetween(before.minusSeconds(1), after);
        assertThat(header(reply.response(), "Cache-Control")).isEqualTo("no-store");

        JsonNode jwtHeader = reply.header();
        assertThat(jwtHeader.path("typ").asText()).isEqualTo("JWT");
        assertThat(jwtHeader.path("alg").asText()).isEqualTo("ES256");
        String kid = jwtHeader.path("kid").asText();
        assertThat(kid).matches("[A-Z2-7]{4}(:[A-Z2-7]{4}){11}");
        JsonNode x5c = jwtHeader.get("x5c");
        assertThat(x5c.isArray() && x5c.size() == 1).as("x5c %s", x5c).isTrue();
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(x5c.get(0).asText())));
        assertThat(leaf).isEqualTo(registry.signingKey().certificateChain().getFirst());
        assertThat(kid).isEqualTo(KeyIds.libtrust(leaf.getPublicKey())).isEqualTo(registry.signingKey().keyId());

        JsonNode claims = reply.claims();
        assertThat(fieldNames(claims)).containsExactlyInAnyOrder("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "access");
        assertThat(claims.path("iss").asText()).isEqualTo("berth");
        assertThat(claims.get("sub").asText()).isEmpty();
        JsonNode aud = claims.get("aud");
        assertThat(aud.isArray() ? aud.get(0).asText() : aud.asText()).isEqualTo(registry.service());
        long iat = claims.get("iat").asLong();
        assertThat(claims.get("nbf").asLong()).isEqualTo(iat);
        assertThat(claims.get("exp").asLong()).isEqualTo(iat + 300);
        assertThat(Instant.ofEpochSecond(iat)).isEqualTo(issued);
        assertThat(claims.get("jti").asText()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(claims.get("access").toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"library/alpine\",\"actions\":[\"pull\"]}]");

        HttpResponse<byte[]> manifest = registry.get(MANIFEST, "Authorization", reply.authorization(),
                "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(manifest.statusCode()).as(text(manifest)).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(alpine.manifest());
        assertThat(header(manifest, "Docker-Content-Digest")).isEqualTo(alpine.digest().toString());
        assertThat(header(manifest, "Content-Type")).isEqualTo(MediaTypes.OCI_MANIFEST);

        HttpResponse<byte[]> head = registry.head(MANIFEST, "Authorization", reply.authorization(), "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Docker-Content-Digest")).isEqualTo(alpine.digest().toString());

        HttpResponse<byte[]> blob = registry.get("/v2/library/alpine/blobs/" + alpine.layer(), "Authorization", reply.authorization());
        assertThat(blob.statusCode()).isEqualTo(200);
    }

    @Test
    void tokenForOneTagCoversUnknownTagsOfTheRepository() {
        TokenReply reply = registry.token(null, "repository:library/alpine:pull");

        assertError(registry.get("/v2/library/alpine/manifests/nope", "Authorization", reply.authorization()), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get("/v2/library/busybox/manifests/latest", "Authorization",
                registry.token(null, "repository:library/busybox:pull").authorization()), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void anyValidTokenPassesTheBaseEndpoint() {
        TokenReply empty = registry.token(null);
        assertThat(accessOf(empty.access())).isEmpty();

        HttpResponse<byte[]> base = registry.get("/v2/", "Authorization", empty.authorization());

        assertThat(base.statusCode()).isEqualTo(200);
    }

    @Test
    void catalogIsChallengedForRegistryCatalogScope() {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog");

        registry.assertBearerChallenge(response, "registry:catalog:*", null);
        assertThat(text(response)).isEqualTo("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\","
                + "\"detail\":[{\"Type\":\"registry\",\"Class\":\"\",\"Name\":\"catalog\",\"Action\":\"*\"}]}]}");
    }

    @Test
    void anonymousCatalogTokenGrantsNothing() {
        TokenReply anonymous = registry.token(null, "registry:catalog:*");
        assertThat(accessOf(anonymous.access())).isEmpty();

        registry.assertBearerChallenge(registry.get("/v2/_catalog", "Authorization", anonymous.authorization()),
                "registry:catalog:*", "insufficient_scope");
    }

    @Test
    void adminCatalogTokenListsRepositories() {
        TokenReply admin = registry.token(basic("admin", ADMIN_PASSWORD), "registry:catalog:*");
        assertThat(admin.claims().path("sub").asText()).isEqualTo("admin");
        assertThat(accessOf(admin.access())).containsExactly("registry:catalog:*");

        HttpResponse<byte[]> catalog = registry.get("/v2/_catalog", "Authorization", admin.authorization());

        assertThat(catalog.statusCode()).as(text(catalog)).isEqualTo(200);
        List<String> repositories = new ArrayList<>();
        json(catalog).get("repositories").forEach(r -> repositories.add(r.asText()));
        assertThat(repositories).contains("library/alpine");
    }

    @Test
    void tokenLifetimeIsHonouredAtTheRegistryAndNotBeyond() {
        // The token names its own expiry; the registry must accept it now, and its claims must say 300 s.
        TokenReply reply = registry.token(null, "repository:library/alpine:pull");
        long exp = reply.claims().get("exp").asLong();
        assertThat(Duration.between(Instant.now(), Instant.ofEpochSecond(exp)).toSeconds()).isBetween(295L, 300L);
        assertThat(registry.get(MANIFEST, "Authorization", bearer(reply.token()), "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
    }

    @Test
    void rs256KeysAndShortLifetimesWorkTheSameWay() {
        try (AuthRegistry rsa = AuthRegistry.token(POLICY, Map.of("auth.algorithm", "RS256", "auth.tokenLifetimeSeconds", "60"))) {
            rsa.addUser("admin", ADMIN_PASSWORD, true);
            Image image = rsa.pushImage("library/alpine", "latest",
                    rsa.token(basic("admin", ADMIN_PASSWORD), "repository:library/alpine:pull,push").authorization());

            TokenReply reply = rsa.token(null, "repository:library/alpine:pull");

            assertThat(reply.body().get("expires_in").asLong()).isEqualTo(60);
            assertThat(reply.header().path("alg").asText()).isEqualTo("RS256");
            assertThat(reply.header().path("kid").asText()).matches("[A-Z2-7]{4}(:[A-Z2-7]{4}){11}");
            assertThat(reply.claims().get("exp").asLong() - reply.claims().get("iat").asLong()).isEqualTo(60);
            HttpResponse<byte[]> manifest = rsa.get(MANIFEST, "Authorization", reply.authorization(), "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.body()).isEqualTo(image.manifest());
            // A token of the other registry (another key, another audience) is worthless here.
            rsa.assertBearerChallenge(rsa.get(MANIFEST, "Authorization",
                    registry.token(null, "repository:library/alpine:pull").authorization()),
                    "repository:library/alpine:pull", "invalid_token");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
