package dev.berth.server.it.auth;

import static dev.berth.server.it.auth.AuthRegistry.assertError;
import static dev.berth.server.it.auth.AuthRegistry.basic;
import static dev.berth.server.it.auth.AuthRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.it.auth.AuthRegistry.Image;
import dev.berth.server.it.auth.AuthRegistry.TokenReply;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pull-rate limits as Docker Hub announces and enforces them: {@code ratelimit-limit},
 * {@code ratelimit-remaining} and {@code docker-ratelimit-source} on manifest pulls, 429
 * {@code TOOMANYREQUESTS} with {@code Retry-After} past the limit, HEAD free, anonymous callers counted
 * per address and users per account, and the limits written into tokens.
 */
class RateLimitTest {
    private static final Map<String, String> LIMITS = Map.of("rateLimit.enabled", "true", "rateLimit.anonymous", "3",
            "rateLimit.authenticated", "5", "rateLimit.windowSeconds", "3600");
    private static final String POLICY = """
            rules:
              - repositories: ["library/*"]
                anonymous: [pull]
              - repositories: ["**"]
                users: ["*"]
                actions: [pull]
            """;

    static AuthRegistry token;
    static Image alpine;

    @BeforeAll
    static void start() {
        token = AuthRegistry.token(POLICY, LIMITS);
        token.addUser("admin", "admin-pw", true);
        token.addUser("alice", "alice-pw", false);
        token.addUser("bob", "bob-pw", false);
        alpine = token.pushImage("library/alpine", "latest",
                token.token(basic("admin", "admin-pw"), "repository:library/alpine:pull,push").authorization());
    }

    @AfterAll
    static void stop() {
        token.close();
    }

    private static void assertLimits(HttpResponse<byte[]> response, int limit, int remaining, String source) {
        assertThat(header(response, "ratelimit-limit")).as("ratelimit-limit").isEqualTo(limit + ";w=3600");
        assertThat(header(response, "ratelimit-remaining")).as("ratelimit-remaining").isEqualTo(remaining + ";w=3600");
        assertThat(header(response, "docker-ratelimit-source")).as("docker-ratelimit-source").isEqualTo(source);
    }

    private static void assertTooMany(HttpResponse<byte[]> response, int limit, String source) {
        assertError(response, 429, "TOOMANYREQUESTS");
        long retryAfter = Long.parseLong(header(response, "Retry-After"));
        assertThat(retryAfter).isBetween(1L, 3600L / limit);
        assertLimits(response, limit, 0, source);
    }

    @Test
    void anonymousPullsAreCountedPerAddressWithoutAuthentication() {
        try (AuthRegistry open = AuthRegistry.open(LIMITS)) {
            Image image = open.pushImage("library/busybox", "latest", null);
            String manifest = "/v2/library/busybox/manifests/latest";

            assertLimits(open.head(manifest, "Accept", MediaTypes.OCI_MANIFEST), 3, 3, "127.0.0.1");
            assertLimits(open.head(manifest, "Accept", MediaTypes.OCI_MANIFEST), 3, 3, "127.0.0.1");
            HttpResponse<byte[]> first = open.get(manifest, "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(image.manifest());
            assertLimits(first, 3, 2, "127.0.0.1");
            assertLimits(open.head(manifest, "Accept", MediaTypes.OCI_MANIFEST), 3, 2, "127.0.0.1");
            // Only manifests served count: a miss, blobs and tag lists are free.
            assertError(open.get("/v2/library/busybox/manifests/nope"), 404, "MANIFEST_UNKNOWN");
            HttpResponse<byte[]> blob = open.get("/v2/library/busybox/blobs/" + image.layer());
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(header(blob, "ratelimit-remaining")).isNull();
            assertThat(open.get("/v2/library/busybox/tags/list").statusCode()).isEqualTo(200);
            assertLimits(open.get(manifest, "Accept", MediaTypes.OCI_MANIFEST), 3, 1, "127.0.0.1");
            assertLimits(open.get("/v2/library/busybox/manifests/" + image.digest(), "Accept", MediaTypes.OCI_MANIFEST),
                    3, 0, "127.0.0.1");

            assertTooMany(open.get(manifest, "Accept", MediaTypes.OCI_MANIFEST), 3, "127.0.0.1");
            // HEAD spends nothing and is how clients check their limit: answered, showing none left.
            assertLimits(open.head(manifest, "Accept", MediaTypes.OCI_MANIFEST), 3, 0, "127.0.0.1");
            // Pushing is not pulling.
            open.pushImage("library/busybox", "next", null);
        }
    }

    @Test
    void tokensCarryThePullLimitsAsStrings() {
        TokenReply alice = token.token(basic("alice", "alice-pw"), "repository:library/alpine:pull", "registry:catalog:*");
        TokenReply anonymous = token.token(null, "repository:library/alpine:pull");

        JsonNode entry = alice.access().get(0);
        assertThat(entry.path("name").asText()).isEqualTo("library/alpine");
        assertThat(entry.get("parameters").get("pull_limit").isTextual()).isTrue();
        assertThat(entry.get("parameters").get("pull_limit").asText()).isEqualTo("5");
        assertThat(entry.get("parameters").get("pull_limit_interval").isTextual()).isTrue();
        assertThat(entry.get("parameters").get("pull_limit_interval").asText()).isEqualTo("3600");
        assertThat(alice.access()).as("alice holds no catalog grant").hasSize(1);
        JsonNode anonymousEntry = anonymous.access().get(0);
        assertThat(anonymousEntry.get("parameters").get("pull_limit").asText()).isEqualTo("3");
        assertThat(anonymousEntry.get("parameters").get("pull_limit_interval").asText()).isEqualTo("3600");

        TokenReply admin = token.token(basic("admin", "admin-pw"), "registry:catalog:*");
        assertThat(admin.access().get(0).has("parameters")).as("catalog grants carry no pull limit").isFalse();
    }

    @Test
    void usersAreCountedPerAccountAndApartFromTheirAddress() {
        String alice = token.token(basic("alice", "alice-pw"), "repository:library/alpine:pull").authorization();
        String bob = token.token(basic("bob", "bob-pw"), "repository:library/alpine:pull").authorization();
        String anonymous = token.token(null, "repository:library/alpine:pull").authorization();
        String manifest = "/v2/library/alpine/manifests/latest";

        for (int remaining = 4; remaining >= 0; remaining--) {
            HttpResponse<byte[]> pulled = token.get(manifest, "Authorization", alice, "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertLimits(pulled, 5, remaining, "alice");
        }
        assertTooMany(token.get(manifest, "Authorization", alice, "Accept", MediaTypes.OCI_MANIFEST), 5, "alice");

        // A new token does not reset the account.
        String again = token.token(basic("alice", "alice-pw"), "repository:library/alpine:pull").authorization();
        assertTooMany(token.get(manifest, "Authorization", again, "Accept", MediaTypes.OCI_MANIFEST), 5, "alice");

        HttpResponse<byte[]> bobs = token.get(manifest, "Authorization", bob, "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(bobs.statusCode()).isEqualTo(200);
        assertLimits(bobs, 5, 4, "bob");
        HttpResponse<byte[]> anonymousPull = token.get(manifest, "Authorization", anonymous, "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(anonymousPull.statusCode()).isEqualTo(200);
        assertLimits(anonymousPull, 3, 2, "127.0.0.1");
    }

    @Test
    void unauthenticatedRequestsAreChallengedBeforeTheyAreCounted() {
        HttpResponse<byte[]> response = token.get("/v2/library/alpine/manifests/latest");

        token.assertBearerChallenge(response, "repository:library/alpine:pull", null);
        assertThat(header(response, "ratelimit-remaining")).isNull();
    }
}
