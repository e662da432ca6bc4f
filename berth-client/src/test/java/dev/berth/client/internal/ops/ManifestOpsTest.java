package dev.berth.client.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.client.FetchedManifest;
import dev.berth.client.RegistryClientException;
import dev.berth.client.internal.http.Scripted;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Verification of what a registry serves, against registries scripted to lie. */
class ManifestOpsTest {
    private static final String CONFIG = "sha256:" + "a".repeat(64);
    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + CONFIG + "\",\"size\":2},\"layers\":[]}";
    private static final Digest DIGEST = Digest.sha256(MANIFEST.getBytes(StandardCharsets.UTF_8));

    private static ManifestOps serving(String body, String... headers) {
        return new ManifestOps(new Calls(Scripted.chain(new Scripted(r -> Scripted.response(r, 200, body, headers))),
                Clock.systemUTC()));
    }

    @Test
    void acceptsWhatMatches() {
        FetchedManifest byDigest = serving(MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST)
                .fetch(Reference.parse("r.example/a@" + DIGEST));
        assertThat(byDigest.digest()).isEqualTo(DIGEST);
        FetchedManifest byTag = serving(MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", DIGEST.toString())
                .fetch(Reference.parse("r.example/a:v1"));
        assertThat(byTag.digest()).isEqualTo(DIGEST);
        assertThat(byTag.descriptor().size()).isEqualTo(MANIFEST.length());
    }

    @Test
    void refusesContentThatIsNotWhatWasAskedFor() {
        Digest other = Digest.sha256(new byte[] {1});
        RegistryClientException byDigest = catchThrowableOfType(RegistryClientException.class,
                () -> serving(MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST).fetch(Reference.parse("r.example/a@" + other)));
        assertThat(byDigest.is(ErrorCode.DIGEST_INVALID)).isTrue();
        assertThat(byDigest.getMessage()).contains("has digest " + DIGEST, "expected " + other);

        RegistryClientException byTag = catchThrowableOfType(RegistryClientException.class,
                () -> serving(MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", other.toString())
                        .fetch(Reference.parse("r.example/a:v1")));
        assertThat(byTag.is(ErrorCode.DIGEST_INVALID)).isTrue();
    }

    @Test
    void refusesInvalidManifests() {
        RegistryClientException invalid = catchThrowableOfType(RegistryClientException.class,
                () -> serving("{\"schemaVersion\":2,\"manifests\":[],\"layers\":[]}", "Content-Type", MediaTypes.OCI_INDEX)
                        .fetch(Reference.parse("r.example/a:v1")));
        assertThat(invalid.errorCode()).contains("MANIFEST_INVALID");
        assertThat(invalid.getMessage()).contains("invalid manifest");

        assertThatThrownBy(() -> serving("{}", "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", "md5:x")
                .fetch(Reference.parse("r.example/a:v1"))).isInstanceOf(RegistryClientException.class);
    }

    @Test
    void refusesToPushUnderTheWrongDigest() {
        assertThatThrownBy(() -> serving("").push(Reference.parse("r.example/a@" + Digest.sha256(new byte[] {2})),
                MANIFEST.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DIGEST.toString());
    }

    @Test
    void readsNextLinks() {
        assertThat(Listing.nextLink("</v2/_catalog?last=b&n=2>; rel=\"next\"")).contains("/v2/_catalog?last=b&n=2");
        assertThat(Listing.nextLink("<https://x/prev>; rel=\"prev\", <https://x/next?a=1>;rel=next")).contains("https://x/next?a=1");
        assertThat(Listing.nextLink("<https://x/first>; rel=\"first\"")).isEmpty();
        assertThat(Listing.nextLink("garbage")).isEmpty();
    }
}
