package dev.berth.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.client.BlobPush;
import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.Exchange;
import dev.berth.client.RegistryClient;
import dev.berth.client.RegistryClientException;
import dev.berth.spec.Registry;
import dev.berth.spec.Repository;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which token realms get the user's credentials (CVE-2026-33540): berth registries whose
 * {@code auth.realm} names another host than the one the client talks to. Loopback to loopback is one
 * machine and passes; a realm on another address does not, unless trusted explicitly.
 */
class RealmTrustTest {
    private static final String FOREIGN_REALM_HOST = "auth.elsewhere.test";

    private static RegistryClient.Builder alice(Registry registry, Recorder recorder) {
        return RegistryClient.builder().listener(recorder).credentials(CredentialStore.of(Map.of(registry,
                Credential.basic(BerthRegistry.USER, BerthRegistry.USER_PASSWORD))));
    }

    @Test
    void loopbackRealmUnderAnotherNameGetsCredentials() {
        int port = Distribution.freePort();
        try (BerthRegistry berth = BerthRegistry.start("token", Map.of("http.addr", "127.0.0.1:" + port,
                "auth.realm", "http://localhost:" + port + "/token"))) {
            Recorder recorder = new Recorder();
            RegistryClient client = alice(berth.registry(), recorder).build();
            Repository repo = Repository.parse(berth.registry() + "/alice/app");
            assertThat(client.pushBlob(repo, TestImage.random(21, 100).layerSource()).outcome()).isEqualTo(BlobPush.Outcome.UPLOADED);
            assertThat(recorder.warnings).isEmpty();
            assertThat(recorder.tokenRequests()).extracting(e -> e.uri().getHost()).containsOnly("localhost");
        }
    }

    /**
     * A realm under a name outside the registry's domain. {@code auth.elsewhere.test} resolves to
     * 127.0.0.1 through this module's test hosts file ({@code src/test/resources/hosts}, set as
     * {@code jdk.net.hosts.file} by surefire), so the foreign realm is this machine's loopback.
     */
    @Test
    void realmOnAnotherAddressGetsNoCredentialsUnlessTrusted() {
        String lan = FOREIGN_REALM_HOST;
        int port = Distribution.freePort();
        BerthRegistry berth = BerthRegistry.start("token", Map.of("http.addr", "127.0.0.1:" + port,
                "auth.realm", "http://" + lan + ":" + port + "/token"));
        try {
            Registry registry = Registry.parse("127.0.0.1:" + port);
            Repository repo = Repository.parse(registry + "/alice/app");

            RegistryClientException refused = catchThrowableOfType(RegistryClientException.class,
                    () -> alice(registry, new Recorder()).build().blobExists(repo, TestImage.random(22, 1).layerDigest()));
            assertThat(refused.getMessage()).as("no plain HTTP to the network").contains("refusing plain HTTP to " + lan);

            Recorder recorder = new Recorder();
            RegistryClient client = alice(registry, recorder).insecureRegistry(lan).build();
            RegistryClientException denied = catchThrowableOfType(RegistryClientException.class,
                    () -> client.pushBlob(repo, TestImage.random(23, 100).layerSource()));
            assertThat(denied.status()).as(denied.getMessage()).isIn(401, 403);
            assertThat(recorder.warnings).hasSize(1);
            assertThat(recorder.warnings.getFirst()).contains("not sending credentials for " + registry, lan);
            List<Exchange> tokenRequests = recorder.tokenRequests();
            assertThat(tokenRequests).isNotEmpty().allSatisfy(e -> {
                assertThat(e.method()).as("anonymous: GET, no form with a password").isEqualTo("GET");
                assertThat(e.requestHeaders()).doesNotContainKey("Authorization");
                assertThat(e.uri().getQuery()).doesNotContain("account=");
            });
            catchThrowableOfType(RegistryClientException.class, () -> client.pushBlob(repo, TestImage.random(24, 100).layerSource()));
            assertThat(recorder.warnings).as("warned once per realm").hasSize(1);

            Recorder trusting = new Recorder();
            RegistryClient trusted = alice(registry, trusting).insecureRegistry(lan).trustRealmHost(lan).build();
            assertThat(trusted.pushBlob(repo, TestImage.random(25, 100).layerSource()).outcome()).isEqualTo(BlobPush.Outcome.UPLOADED);
            assertThat(trusting.warnings).isEmpty();
        } finally {
            berth.close();
        }
    }
}
