package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.it.BerthRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code login}, {@code logout}, {@code token} and {@code trace} against berth's real token service,
 * and the one-line errors scripts rely on: unknown manifest, refused credentials, {@code DENIED} (berth
 * with htpasswd and access rules), {@code TOOMANYREQUESTS} with the reset time.
 */
class AuthCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A JWT with its signature: what must never show unless asked. */
    private static final Pattern SIGNED_JWT = Pattern.compile("eyJ[\\w-]+\\.eyJ[\\w-]+\\.[\\w-]{40,}");
    private static BerthRegistry berth;
    private static String registry;

    @TempDir
    Path tmp;

    Cli cli;

    @BeforeAll
    static void start() {
        berth = BerthRegistry.start("token", Map.of());
        registry = berth.registry().toString();
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @BeforeEach
    void home() {
        cli = new Cli(tmp.resolve("home"));
    }

    private static Cli.Result ok(Cli.Result result) {
        assertThat(result.status()).as(result.toString()).isZero();
        return result;
    }

    private static void oneLineFailure(Cli.Result result, int status, String... contains) {
        assertThat(result.status()).as(result.toString()).isEqualTo(status);
        assertThat(result.err()).startsWith("berth: ").endsWith("\n").contains(contains);
        assertThat(result.err().strip()).doesNotContain("\n");
    }

    private Cli.Result login() {
        return cli.runWithInput(BerthRegistry.ADMIN_PASSWORD + "\n", "login", registry, "-u", BerthRegistry.ADMIN, "--password-stdin");
    }

    @Test
    void loginChecksThenStoresAndLogoutForgets() throws Exception {
        Cli.Result refused = cli.runWithInput("wrong\n", "login", registry, "-u", BerthRegistry.ADMIN, "--password-stdin");
        oneLineFailure(refused, 4, "401");
        assertThat(cli.dockerConfig()).doesNotExist();
        Cli.Result anonymous = cli.run("catalog", registry);
        oneLineFailure(anonymous, 4, "401", "UNAUTHORIZED");

        Cli.Result loggedIn = ok(login());
        assertThat(loggedIn.out()).startsWith("Login Succeeded").contains(cli.dockerConfig().toString());
        assertThat(loggedIn.out() + loggedIn.err()).doesNotContain(BerthRegistry.ADMIN_PASSWORD);
        JsonNode config = JSON.readTree(cli.dockerConfig().toFile());
        assertThat(config.at("/auths/" + registry.replace("/", "~1") + "/auth").asText()).isEqualTo(Base64.getEncoder()
                .encodeToString((BerthRegistry.ADMIN + ":" + BerthRegistry.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(ok(cli.run("catalog", registry)).err()).as("stored credentials used").isEmpty();

        assertThat(ok(cli.run("logout", registry)).out()).startsWith("Removed login credentials for " + registry);
        assertThat(JSON.readTree(cli.dockerConfig().toFile()).at("/auths").has(registry)).isFalse();
        assertThat(ok(cli.run("logout", registry)).out()).isEqualTo("Not logged in to " + registry + "\n");
        oneLineFailure(cli.run("catalog", registry), 4, "401");
    }

    @Test
    void loginCanUsePodmansAuthFile() throws Exception {
        ok(cli.runWithInput(BerthRegistry.USER_PASSWORD + "\r\n", "login", "--podman", registry, "-u", BerthRegistry.USER, "--password-stdin"));
        Path authFile = Path.of(cli.env.get("REGISTRY_AUTH_FILE"));
        assertThat(JSON.readTree(authFile.toFile()).at("/auths").has(registry)).isTrue();
        assertThat(cli.dockerConfig()).doesNotExist();
        assertThat(ok(cli.run("token", registry + "/alice/app", "--decode")).out()).contains("\"sub\" : \"alice\"");
        ok(cli.run("logout", "--podman", registry));
        assertThat(JSON.readTree(authFile.toFile()).at("/auths").has(registry)).isFalse();
    }

    @Test
    void loginNeedsAPasswordWithoutATerminal() {
        oneLineFailure(cli.run("login", registry, "-u", "admin"), 2, "--password-stdin");
    }

    @Test
    void tokenDecodesHeaderAndClaims() throws Exception {
        ok(login());
        JsonNode token = JSON.readTree(ok(cli.run("token", registry + "/team/app:1", "--actions", "pull,push", "--decode")).out());
        assertThat(token.get("token").asText()).matches(SIGNED_JWT);
        assertThat(token.at("/header/alg").asText()).isEqualTo("ES256");
        assertThat(token.at("/header/typ").asText()).isEqualTo("JWT");
        assertThat(token.at("/claims/sub").asText()).isEqualTo(BerthRegistry.ADMIN);
        assertThat(token.at("/claims/aud").asText()).isEqualTo(token.get("service").asText());
        assertThat(token.at("/claims/access/0/type").asText()).isEqualTo("repository");
        assertThat(token.at("/claims/access/0/name").asText()).isEqualTo("team/app");
        assertThat(token.at("/claims/access/0/actions")).extracting(JsonNode::asText).containsExactlyInAnyOrder("pull", "push");
        assertThat(token.get("realm").asText()).isEqualTo("http://" + registry + "/token");
        assertThat(token.get("scopes")).extracting(JsonNode::asText).containsExactly("repository:team/app:pull,push");

        JsonNode catalog = JSON.readTree(ok(cli.run("token", "--scope", "registry:catalog:*", registry, "--decode")).out());
        assertThat(catalog.at("/claims/access/0/type").asText()).isEqualTo("registry");
        assertThat(catalog.at("/claims/access/0/name").asText()).isEqualTo("catalog");

        String plain = ok(cli.run("token", registry + "/team/app")).out().strip();
        assertThat(plain).matches(SIGNED_JWT);

        ok(cli.run("logout", registry));
        JsonNode anonymous = JSON.readTree(ok(cli.run("token", registry + "/team/app", "--decode")).out());
        assertThat(anonymous.at("/claims/access")).as("anonymous callers get nothing by default").isEmpty();
    }

    @Test
    void tokenOnARegistryWithoutTokensFails() throws Exception {
        try (BerthRegistry open = BerthRegistry.start("none", Map.of())) {
            oneLineFailure(cli.run("token", open.registry() + "/x/y"), 1, "no bearer tokens");
        }
    }

    @Test
    void traceShowsTheChallengeAndTokenExchangeWithSecretsRedacted() throws Exception {
        Path fixture = Fixtures.require("oci/busybox-amd64");
        String creds = BerthRegistry.ADMIN + ":" + BerthRegistry.ADMIN_PASSWORD;
        ok(cli.run("push", "--creds", creds, fixture.toString(), registry + "/traced/busybox:1"));

        Cli.Result traced = ok(cli.run("trace", "tags", "--creds", creds, registry + "/traced/busybox"));
        assertThat(traced.out()).isEqualTo("1\n");
        String err = traced.err();
        assertThat(err).contains("> GET http://" + registry + "/v2/traced/busybox/tags/list", "< 401",
                "Bearer realm=\"http://" + registry + "/token\"", "challenge bearer: realm=http://" + registry + "/token",
                "scope=repository:traced/busybox:pull", "http://" + registry + "/token", "< 200",
                "* token from http://" + registry + "/token", "claims: {", "\"access\":[{\"type\":\"repository\",\"name\":\"traced/busybox\"",
                "Authorization: Bearer eyJ", "<redacted>");
        assertThat(err).doesNotContain(BerthRegistry.ADMIN_PASSWORD,
                Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
        assertThat(SIGNED_JWT.matcher(err).find()).as("no token with its signature").isFalse();

        Cli.Result revealed = ok(cli.run("trace", "--show-secrets", "tags", "--creds", creds, registry + "/traced/busybox"));
        assertThat(SIGNED_JWT.matcher(revealed.err()).find()).as("--show-secrets shows tokens").isTrue();
        assertThat(revealed.err()).doesNotContain("<redacted>");

        Cli.Result failing = cli.run("trace", "inspect", "--creds", creds, registry + "/traced/busybox:nope");
        assertThat(failing.status()).isEqualTo(3);
        assertThat(failing.err()).contains("< 404").endsWith("\n");
        assertThat(failing.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("berth: GET http://" + registry + "/v2/traced/busybox/manifests/nope: 404 MANIFEST_UNKNOWN");
    }

    @Test
    void unknownManifestsAndRefusalsAreOneLineWithTheRegistrysCode() throws Exception {
        ok(login());
        Path fixture = Fixtures.require("oci/busybox-amd64");
        ok(cli.run("push", fixture.toString(), registry + "/errors/app:1"));
        oneLineFailure(cli.run("inspect", registry + "/errors/app:nope"), 3, "404 MANIFEST_UNKNOWN");
        oneLineFailure(cli.run("pull", registry + "/errors/app:nope", "-o", tmp.resolve("x").toString()), 3, "404 MANIFEST_UNKNOWN");
        oneLineFailure(cli.run("digest", registry + "/errors/app:nope"), 3, "404 MANIFEST_UNKNOWN");
        oneLineFailure(cli.run("push", "--creds", BerthRegistry.USER + ":" + BerthRegistry.USER_PASSWORD, fixture.toString(),
                registry + "/errors/app:2"), 4, "401", "UNAUTHORIZED");
    }

    @Test
    void deniedIsOneLineWithDenied() throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yml"), """
                rules:
                  - repositories: ["public/**"]
                    users: ["*"]
                    actions: [pull]
                """);
        Path fixture = Fixtures.require("oci/busybox-amd64");
        try (BerthRegistry htpasswd = BerthRegistry.start("htpasswd", Map.of("auth.policy", policy.toString()))) {
            Cli.Result denied = cli.run("push", "--creds", BerthRegistry.USER + ":" + BerthRegistry.USER_PASSWORD,
                    fixture.toString(), htpasswd.registry() + "/public/app:1");
            oneLineFailure(denied, 4, "403 DENIED");
        }
    }

    @Test
    void rateLimitsSayWhenTheyReset() throws Exception {
        Path fixture = Fixtures.require("oci/busybox-amd64");
        try (BerthRegistry limited = BerthRegistry.start("none", Map.of("rateLimit.enabled", "true",
                "rateLimit.anonymous", "1", "rateLimit.windowSeconds", "3600"))) {
            String ref = limited.registry() + "/limited/app:1";
            ok(cli.run("push", fixture.toString(), ref));
            ok(cli.run("inspect", "--raw", ref));
            Cli.Result refused = cli.run("inspect", "--raw", ref);
            oneLineFailure(refused, 5, "429 TOOMANYREQUESTS", "(resets at 20");
            assertThat(refused.err()).doesNotContain("retry after");
        }
    }
}
