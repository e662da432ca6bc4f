package dev.berth.server.it.auth;

import static dev.berth.server.it.auth.AuthRegistry.assertError;
import static dev.berth.server.it.auth.AuthRegistry.basic;
import static dev.berth.server.it.auth.AuthRegistry.header;
import static dev.berth.server.it.auth.AuthRegistry.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.it.auth.AuthRegistry.Image;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code auth.mode=htpasswd}: Basic authentication against an Apache htpasswd file, as CNCF
 * distribution's htpasswd mode; without a rules file every user may do everything.
 */
class HtpasswdModeTest {
    private static final String CHALLENGE = "Basic realm=\"berth\"";
    private static final String ALICE_PASSWORD = "alice:pass word";
    private static final String ALICE = basic("alice", ALICE_PASSWORD);

    static Path scratch;
    static Path file;
    static AuthRegistry registry;

    @BeforeAll
    static void start() {
        scratch = AuthRegistry.scratch();
        file = scratch.resolve("htpasswd");
        Htpasswd.add(file, "alice", ALICE_PASSWORD);
        Htpasswd.add(file, "bob", "bob-secret");
        Htpasswd.addMd5(file, "legacy", "legacy-secret");
        registry = AuthRegistry.htpasswd(file, null, Map.of());
    }

    @AfterAll
    static void stop() {
        registry.close();
        AuthRegistry.deleteTree(scratch);
    }

    @Test
    void withoutCredentialsTheChallengeIsBasic() {
        HttpResponse<byte[]> base = registry.get("/v2/");
        HttpResponse<byte[]> manifest = registry.get("/v2/alice/app/manifests/latest");

        assertError(base, 401, "UNAUTHORIZED");
        assertThat(base.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE);
        JsonNode error = assertError(manifest, 401, "UNAUTHORIZED");
        assertThat(manifest.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE);
        assertThat(error.get("detail").toString())
                .isEqualTo("[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"alice/app\",\"Action\":\"pull\"}]");
    }

    @Test
    void correctCredentialsPass() {
        HttpResponse<byte[]> response = registry.get("/v2/", "Authorization", ALICE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
    }

    @Test
    void wrongCredentialsAreChallengedAgain() {
        for (String authorization : List.of(basic("alice", "wrong"), basic("alice", "alice"), basic("nobody", "x"),
                basic("legacy", "legacy-secret"), "Basic not-base64!", "Basic " + Base64.getEncoder()
                        .encodeToString("no-colon".getBytes(UTF_8)), "Bearer abc.def.ghi")) {
            HttpResponse<byte[]> response = registry.get("/v2/", "Authorization", authorization);

            assertError(response, 401, "UNAUTHORIZED");
            assertThat(response.headers().allValues("WWW-Authenticate")).as(authorization).containsExactly(CHALLENGE);
        }
    }

    @Test
    void usersPushAndPullWithBasicCredentials() {
        Image image = registry.pushImage("team/app", "v1", ALICE);

        HttpResponse<byte[]> pulled = registry.get("/v2/team/app/manifests/v1", "Authorization", basic("bob", "bob-secret"),
                "Accept", MediaTypes.OCI_MANIFEST);

        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(image.manifest());
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(image.digest().toString());
        HttpResponse<byte[]> catalog = registry.get("/v2/_catalog", "Authorization", basic("bob", "bob-secret"));
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(text(catalog)).contains("team/app");
    }

    @Test
    void usersAddedToTheFileCountAtOnce() {
        Htpasswd.add(scratch.resolve("htpasswd"), "carol", "carol-secret");

        assertThat(registry.get("/v2/", "Authorization", basic("carol", "carol-secret")).statusCode()).isEqualTo(200);
    }

    @Test
    void failedLoginsAreThrottledAndTheRealmIsConfigurable() {
        Path own = AuthRegistry.scratch();
        try {
            Path ownFile = own.resolve("htpasswd");
            Htpasswd.add(ownFile, "victim", "victim-secret");
            try (AuthRegistry throttled = AuthRegistry.htpasswd(ownFile, null, Map.of("auth.realm", "corp \"registry\""))) {
                for (int i = 0; i < 10; i++) {
                    HttpResponse<byte[]> failed = throttled.get("/v2/", "Authorization", basic("victim", "guess" + i));
                    assertError(failed, 401, "UNAUTHORIZED");
                    assertThat(failed.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"corp \\\"registry\\\"\"");
                }
                Instant before = Instant.now();

                HttpResponse<byte[]> locked = throttled.get("/v2/", "Authorization", basic("victim", "victim-secret"));

                assertError(locked, 429, "TOOMANYREQUESTS");
                long retryAfter = Long.parseLong(header(locked, "Retry-After"));
                assertThat(retryAfter).isBetween(1L, Duration.ofMinutes(5).toSeconds());
                assertThat(Duration.between(before, Instant.now())).as("no bcrypt work while locked out")
                        .isLessThan(Duration.ofSeconds(2));
                assertThat(locked.headers().allValues("WWW-Authenticate")).isEmpty();
            }
        } finally {
            AuthRegistry.deleteTree(own);
        }
    }
}
