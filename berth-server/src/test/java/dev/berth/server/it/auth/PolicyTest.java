package dev.berth.server.it.auth;

import static dev.berth.server.it.auth.AuthRegistry.accessOf;
import static dev.berth.server.it.auth.AuthRegistry.assertError;
import static dev.berth.server.it.auth.AuthRegistry.basic;
import static dev.berth.server.it.auth.AuthRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.it.auth.AuthRegistry.Image;
import dev.berth.server.it.auth.AuthRegistry.TokenReply;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Access rules at the HTTP level: anonymous pulls, per-user namespaces, groups (and their removal,
 * which counts at once), the catalog, tag overwrites, rules reloaded at runtime; and in htpasswd mode,
 * 403 {@code DENIED} for a known user the rules do not allow, 401 for everyone else.
 */
class PolicyTest {
    private static final String RULES = """
            rules:
              - repositories: ["public/**"]
                anonymous: [pull]
              - repositories: ["${user}", "${user}/**"]
                users: ["*"]
                actions: [pull, push, delete]
              - repositories: ["team/**"]
                groups: [devs]
                actions: [pull, push]
              - repositories: ["team/**"]
                groups: [readers]
                actions: [pull]
              - repositories: ["public/**"]
                users: [publisher]
                actions: [push]
              - catalog: true
                groups: [ops]
            """;

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TokenMode {
        AuthRegistry registry;

        @BeforeAll
        void start() {
            registry = AuthRegistry.token(RULES, Map.of());
            registry.addUser("alice", "alice-pw", false);
            registry.addUser("al", "al-pw", false);
            registry.addUser("carol", "carol-pw", false, "devs");
            registry.addUser("dave", "dave-pw", false, "readers");
            registry.addUser("olga", "olga-pw", false, "ops");
            registry.addUser("publisher", "publisher-pw", false);
            registry.addUser("root", "root-pw", true);
        }

        @AfterAll
        void stop() {
            registry.close();
        }

        private List<String> granted(String user, String... scopes) {
            return accessOf(registry.token(user == null ? null : basic(user, user + "-pw"), scopes).access());
        }

        @Test
        void anonymousMayPullPublicOnly() {
            assertThat(granted(null, "repository:public/tools/x:pull,push")).containsExactly("repository:public/tools/x:pull");
            assertThat(granted(null, "repository:public/x:*")).containsExactly("repository:public/x:pull");
            assertThat(granted(null, "repository:public:pull")).as("public/** does not match public itself").isEmpty();
            assertThat(granted(null, "repository:publicity/x:pull")).isEmpty();
            assertThat(granted(null, "repository:team/app:pull", "repository:alice/app:pull")).isEmpty();
        }

        @Test
        void loggingInNeverTakesAnonymousAccessAway() {
            assertThat(granted("dave", "repository:public/x:pull")).containsExactly("repository:public/x:pull");
            assertThat(granted("publisher", "repository:public/x:pull,push")).containsExactly("repository:public/x:pull,push");
        }

        @Test
        void everyUserOwnsTheirNamespace() {
            assertThat(granted("alice", "repository:alice:pull,push,delete", "repository:alice/deep/app:*"))
                    .containsExactly("repository:alice:pull,push,delete", "repository:alice/deep/app:pull,push,delete");
            assertThat(granted("al", "repository:alice/x:pull", "repository:al-ice/x:pull")).as("a prefix is no namespace").isEmpty();
            assertThat(granted("alice", "repository:al/x:pull", "repository:x/alice:pull", "repository:alice-x/y:pull")).isEmpty();
            assertThat(granted(null, "repository:alice/x:pull")).isEmpty();
        }

        @Test
        void groupsGiveTheirActions() {
            assertThat(granted("carol", "repository:team/app:pull,push,delete")).containsExactly("repository:team/app:pull,push");
            assertThat(granted("dave", "repository:team/app:pull,push")).containsExactly("repository:team/app:pull");
            assertThat(granted("alice", "repository:team/app:pull")).isEmpty();
        }

        @Test
        void catalogForTheRuleItsGroupAndAdministrators() {
            assertThat(granted("olga", "registry:catalog:*")).containsExactly("registry:catalog:*");
            assertThat(granted("root", "registry:catalog:*")).containsExactly("registry:catalog:*");
            assertThat(granted("carol", "registry:catalog:*")).isEmpty();
            assertThat(granted(null, "registry:catalog:*")).isEmpty();
            assertThat(registry.get("/v2/_catalog", "Authorization", registry.token(basic("olga", "olga-pw"),
                    "registry:catalog:*").authorization()).statusCode()).isEqualTo(200);
        }

        @Test
        void administratorsMayDoAnything() {
            assertThat(granted("root", "repository:team/app:pull,push,delete", "repository:someone/x:*"))
                    .containsExactly("repository:team/app:pull,push,delete", "repository:someone/x:*");
        }

        @Test
        void removingAUserFromAGroupCountsForTheNextToken() {
            registry.addUser("frank", "frank-pw", false, "devs");
            assertThat(granted("frank", "repository:team/lib:pull,push")).containsExactly("repository:team/lib:pull,push");

            registry.users().setGroups("frank", Set.of());

            TokenReply after = registry.token(basic("frank", "frank-pw"), "repository:team/lib:pull,push");
            assertThat(accessOf(after.access())).isEmpty();
            registry.assertBearerChallenge(registry.post("/v2/team/lib/blobs/uploads/", null, "Authorization", after.authorization()),
                    "repository:team/lib:pull,push", "insufficient_scope");

            registry.users().setGroups("frank", Set.of("readers"));
            assertThat(granted("frank", "repository:team/lib:pull,push")).containsExactly("repository:team/lib:pull");

            registry.users().setAdmin("frank", true);
            assertThat(granted("frank", "repository:team/lib:pull,push")).containsExactly("repository:team/lib:pull,push");

            registry.users().setAdmin("frank", false);
            assertThat(granted("frank", "repository:team/lib:pull,push")).containsExactly("repository:team/lib:pull");
        }

        @Test
        void overwritingATagTakesPush() {
            Image original = registry.pushImage("team/app", "latest",
                    registry.token(basic("carol", "carol-pw"), "repository:team/app:pull,push").authorization());
            TokenReply reader = registry.token(basic("dave", "dave-pw"), "repository:team/app:pull,push");
            assertThat(accessOf(reader.access())).containsExactly("repository:team/app:pull");
            byte[][] content = AuthRegistry.content();
            byte[] other = AuthRegistry.manifest(content[0], content[1]);

            HttpResponse<byte[]> overwrite = registry.put("/v2/team/app/manifests/latest", other,
                    "Content-Type", MediaTypes.OCI_MANIFEST, "Authorization", reader.authorization());
            HttpResponse<byte[]> delete = registry.delete("/v2/team/app/manifests/latest", "Authorization", reader.authorization());

            registry.assertBearerChallenge(overwrite, "repository:team/app:pull,push", "insufficient_scope");
            registry.assertBearerChallenge(delete, "repository:team/app:delete", "insufficient_scope");
            HttpResponse<byte[]> latest = registry.get("/v2/team/app/manifests/latest", "Authorization", reader.authorization(),
                    "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(latest.statusCode()).isEqualTo(200);
            assertThat(header(latest, "Docker-Content-Digest")).isEqualTo(original.digest().toString());
        }

        @Test
        void rulesChangedAtRuntimeCountWithinSeconds() throws Exception {
            Path rules = registry.policyFile();
            assertThat(granted(null, "repository:extra/x:pull")).isEmpty();

            AuthRegistry.write(rules, RULES + """
                      - repositories: ["extra/**"]
                        anonymous: [pull]
                    """);

            awaitGrant(() -> granted(null, "repository:extra/x:pull"), List.of("repository:extra/x:pull"));

            // A broken file leaves the last good rules in force.
            AuthRegistry.write(rules, "rules: [ {repositories: [\"Bad Glob\"], anonymous: [pull]} ]\n");
            Thread.sleep(1_300);
            assertThat(granted(null, "repository:extra/x:pull")).containsExactly("repository:extra/x:pull");
            assertThat(granted("carol", "repository:team/app:pull,push")).containsExactly("repository:team/app:pull,push");

            AuthRegistry.write(rules, RULES);
            awaitGrant(() -> granted(null, "repository:extra/x:pull"), List.of());
        }

        private void awaitGrant(Supplier<List<String>> grant, List<String> expected) throws InterruptedException {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            List<String> last = grant.get();
            while (!last.equals(expected) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                last = grant.get();
            }
            assertThat(last).isEqualTo(expected);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class HtpasswdMode {
        private static final String HTPASSWD_RULES = """
                rules:
                  - repositories: ["${user}/**"]
                    users: ["*"]
                    actions: [pull, push]
                  - repositories: ["team/**"]
                    users: [writer]
                    actions: [pull, push, delete]
                  - repositories: ["team/**"]
                    users: [reader]
                    actions: [pull]
                  - repositories: ["public/**"]
                    anonymous: [pull]
                  - repositories: ["public/**"]
                    users: [writer]
                    actions: [pull, push]
                """;
        Path scratch;
        AuthRegistry registry;
        Image app;

        @BeforeAll
        void start() {
            scratch = AuthRegistry.scratch();
            Path file = scratch.resolve("htpasswd");
            Htpasswd.add(file, "writer", "writer-pw");
            Htpasswd.add(file, "reader", "reader-pw");
            Htpasswd.add(file, "nobody", "nobody-pw");
            registry = AuthRegistry.htpasswd(file, HTPASSWD_RULES, Map.of());
            app = registry.pushImage("team/app", "latest", basic("writer", "writer-pw"));
        }

        @AfterAll
        void stop() {
            registry.close();
            AuthRegistry.deleteTree(scratch);
        }

        @Test
        void anonymousCallersMayDoWhatTheRulesGiveAnyone() {
            registry.pushImage("public/app", "latest", basic("writer", "writer-pw"));

            assertThat(registry.get("/v2/public/app/manifests/latest", "Accept", MediaTypes.OCI_MANIFEST).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> push = registry.post("/v2/public/app/blobs/uploads/", new byte[0]);
            assertError(push, 401, "UNAUTHORIZED");
            assertThat(push.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"berth\"");
            assertError(registry.get("/v2/team/app/manifests/latest"), 401, "UNAUTHORIZED");
            HttpResponse<byte[]> base = registry.get("/v2/");
            assertError(base, 401, "UNAUTHORIZED");
            assertThat(base.headers().allValues("WWW-Authenticate")).as("/v2/ challenges so clients log in")
                    .containsExactly("Basic realm=\"berth\"");
        }

        @Test
        void knownUserWithoutRightsIsDenied() {
            HttpResponse<byte[]> response = registry.get("/v2/team/app/manifests/latest", "Authorization", basic("nobody", "nobody-pw"));

            JsonNode error = assertError(response, 403, "DENIED");
            assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
            assertThat(error.get("detail").toString())
                    .isEqualTo("[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"team/app\",\"Action\":\"pull\"}]");
        }

        @Test
        void unknownOrMissingCredentialsAreUnauthorized() {
            for (String authorization : new String[] {null, basic("nobody", "wrong"), basic("ghost", "nobody-pw")}) {
                HttpResponse<byte[]> response = registry.get("/v2/team/app/manifests/latest", "Authorization", authorization);

                assertError(response, 401, "UNAUTHORIZED");
                assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"berth\"");
            }
        }

        @Test
        void baseEndpointNeedsOnlyAKnownUser() {
            assertThat(registry.get("/v2/", "Authorization", basic("nobody", "nobody-pw")).statusCode()).isEqualTo(200);
        }

        @Test
        void pullOnlyUserCannotOverwriteOrDeleteATag() {
            byte[][] content = AuthRegistry.content();
            byte[] other = AuthRegistry.manifest(content[0], content[1]);
            String reader = basic("reader", "reader-pw");

            assertError(registry.put("/v2/team/app/manifests/latest", other, "Content-Type", MediaTypes.OCI_MANIFEST,
                    "Authorization", reader), 403, "DENIED");
            assertError(registry.post("/v2/team/app/blobs/uploads/", null, "Authorization", reader), 403, "DENIED");
            assertError(registry.delete("/v2/team/app/manifests/latest", "Authorization", reader), 403, "DENIED");
            HttpResponse<byte[]> latest = registry.get("/v2/team/app/manifests/latest", "Authorization", reader,
                    "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(latest.statusCode()).isEqualTo(200);
            assertThat(header(latest, "Docker-Content-Digest")).isEqualTo(app.digest().toString());
        }

        @Test
        void usersWriteTheirOwnNamespace() {
            registry.pushImage("reader/tool", "v1", basic("reader", "reader-pw"));

            assertError(registry.get("/v2/reader/tool/manifests/v1", "Authorization", basic("writer", "writer-pw")), 403, "DENIED");
            assertError(registry.get("/v2/_catalog", "Authorization", basic("writer", "writer-pw")), 403, "DENIED");
        }
    }
}
