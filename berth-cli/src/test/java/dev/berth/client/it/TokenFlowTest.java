package dev.berth.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.Exchange;
import dev.berth.client.RegistryClient;
import dev.berth.client.RegistryClientException;
import dev.berth.client.Token;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Repository;
import dev.berth.spec.auth.Scope;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token exchange against berth's real token service: caching by scope set, merging, tracing, redaction. */
class TokenFlowTest {
    private static BerthRegistry berth;

    @BeforeAll
    static void start() {
        berth = BerthRegistry.start("token", Map.of());
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    private static RegistryClient.Builder admin(Recorder recorder) {
        return RegistryClient.builder().listener(recorder).credentials(CredentialStore.of(Map.of(berth.registry(),
                Credential.basic(BerthRegistry.ADMIN, BerthRegistry.ADMIN_PASSWORD))));
    }

    @Test
    void cachesTokensByMergedScopeSet() {
        RegistryClient seeding = admin(new Recorder()).build();
        Repository a = Repository.parse(berth.registry() + "/cache/a");
        Repository b = Repository.parse(berth.registry() + "/cache/b");
        TestImage image = TestImage.random(11, 10_000);
        RegistryContract.push(seeding, a, image, "v1");

        Recorder recorder = new Recorder();
        RegistryClient client = admin(recorder).build();
        client.fetchManifest(RegistryContract.tag(a, "v1"));
        client.fetchBlob(a, image.configDigest(), new ByteArrayOutputStream());
        client.fetchBlob(a, image.layerDigest(), new ByteArrayOutputStream());
        assertThat(recorder.tokenRequests()).as("one token for a whole pull").hasSize(1);
        assertThat(recorder.withStatus(401)).as("one challenge, then the realm is known").hasSize(1);

        RegistryContract.push(client, b, image, "v1");
        assertThat(recorder.tokenRequests()).as("b:pull (blob HEAD), then b:pull,push (upload)").hasSize(3);
        assertThat(recorder.withStatus(401)).as("tokens fetched before the requests").hasSize(1);
        assertThat(recorder.tokens).extracting(t -> t.scopes().stream().map(Scope::toString).toList()).containsExactly(
                List.of("repository:cache/a:pull"),
                List.of("repository:cache/b:pull", "repository:cache/a:pull"),
                List.of("repository:cache/b:pull,push", "repository:cache/a:pull"));

        client.fetchManifest(RegistryContract.tag(a, "v1"));
        client.fetchManifest(RegistryContract.tag(b, "v1"));
        assertThat(recorder.tokenRequests()).as("the merged token covers both").hasSize(3);
        assertThat(recorder.tokenRequests()).extracting(Exchange::method).containsOnly("POST");
        assertThat(recorder.tokens).allSatisfy(t -> assertThat(t.expiresAt()).isAfter(t.issuedAt().plusSeconds(59)));
    }

    @Test
    void redactsSecretsInTheTraceUnlessAsked() {
        Recorder recorder = new Recorder();
        RegistryClient client = admin(recorder).build();
        Repository repo = Repository.parse(berth.registry() + "/trace/app");
        RegistryContract.push(client, repo, TestImage.random(12, 1000), "v1");

        List<String> authorizations = recorder.exchanges.stream()
                .flatMap(e -> e.requestHeaders().getOrDefault("Authorization", List.of()).stream()).toList();
        assertThat(authorizations).isNotEmpty().allSatisfy(value -> assertThat(value).matches("Bearer [\\w-]+\\.[\\w-]+\\.<redacted>"));
        assertThat(recorder.tokens).allSatisfy(t -> {
            assertThat(t.value()).endsWith(".<redacted>");
            assertThat(t.claims()).hasValueSatisfying(claims -> assertThat(claims).contains("\"access\"", "trace/app"));
        });
        Exchange challenge = recorder.withStatus(401).getFirst();
        assertThat(challenge.responseHeaders().get("WWW-Authenticate").getFirst()).startsWith("Bearer realm=");

        Recorder revealing = new Recorder();
        RegistryClient shown = admin(revealing).revealSecrets().build();
        shown.fetchManifest(RegistryContract.tag(repo, "v1"));
        assertThat(revealing.tokens.getFirst().value()).doesNotContain("<redacted>");
        assertThat(revealing.exchanges.stream().flatMap(e -> e.requestHeaders().getOrDefault("Authorization", List.of()).stream()))
                .contains("Bearer " + revealing.tokens.getFirst().value());
    }

    @Test
    void fetchesTokensExplicitly() {
        RegistryClient client = admin(new Recorder()).build();
        Optional<Token> token = client.fetchToken(berth.registry(), List.of(Scope.parse("repository:explicit/app:pull,push")));
        assertThat(token).hasValueSatisfying(t -> {
            assertThat(t.service()).isEqualTo(berth.registry().host());
            assertThat(t.realm()).hasToString("http://" + berth.registry() + "/token");
            assertThat(t.header()).hasValueSatisfying(h -> assertThat(h).contains("\"alg\""));
            assertThat(t.claims()).hasValueSatisfying(c -> assertThat(c).contains("explicit/app", "push"));
            assertThat(t.toString()).doesNotContain(t.value());
        });

        try (BerthRegistry open = BerthRegistry.start("none", Map.of());
                BerthRegistry basic = BerthRegistry.start("htpasswd", Map.of())) {
            assertThat(client.fetchToken(open.registry(), List.of())).as("no auth, no token").isEmpty();
            assertThat(client.fetchToken(basic.registry(), List.of())).as("Basic, no token").isEmpty();
        }
    }

    @Test
    void pingsWithCredentials() {
        admin(new Recorder()).build().ping(berth.registry());
        RegistryClient wrong = RegistryClient.builder().credentials(CredentialStore.of(Map.of(berth.registry(),
                Credential.basic(BerthRegistry.ADMIN, "wrong")))).build();
        RegistryClientException refused = catchThrowableOfType(RegistryClientException.class, () -> wrong.ping(berth.registry()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).startsWith("token service refused: POST http://" + berth.registry() + "/token: 401");
        RegistryClient.builder().build().ping(berth.registry()); // an anonymous token opens /v2/, nothing more

        try (BerthRegistry basic = BerthRegistry.start("htpasswd", Map.of())) {
            RegistryClient basicWrong = RegistryClient.builder().credentials(CredentialStore.of(Map.of(basic.registry(),
                    Credential.basic(BerthRegistry.USER, "wrong")))).build();
            RegistryClientException basicRefused = catchThrowableOfType(RegistryClientException.class,
                    () -> basicWrong.ping(basic.registry()));
            assertThat(basicRefused.status()).isEqualTo(401);
            assertThat(basicRefused.errorCode()).contains("UNAUTHORIZED");
        }
    }

    @Test
    void redactsBasicCredentials() {
        try (BerthRegistry basic = BerthRegistry.start("htpasswd", Map.of())) {
            Recorder recorder = new Recorder();
            RegistryClient client = RegistryClient.builder().listener(recorder).credentials(CredentialStore.of(Map.of(
                    basic.registry(), Credential.basic(BerthRegistry.USER, BerthRegistry.USER_PASSWORD)))).build();
            Repository repo = Repository.parse(basic.registry() + "/alice/app");
            RegistryContract.push(client, repo, TestImage.random(13, 1000), "v1");
            assertThat(recorder.withStatus(401)).as("Basic is sent up front after the first challenge").hasSize(1);
            assertThat(recorder.exchanges.stream().flatMap(e -> e.requestHeaders().getOrDefault("Authorization", List.of()).stream()))
                    .isNotEmpty().containsOnly("Basic <redacted>");
            assertThat(client.fetchManifest(RegistryContract.tag(repo, "v1")).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        }
    }
}
