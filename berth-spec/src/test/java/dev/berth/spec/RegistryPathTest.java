package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.RegistryPath.Endpoint;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryPathTest {
    static final String DIGEST = DigestTest.EMPTY_SHA256;

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
        "/v2/, BASE, null, null",
        "/v2, BASE, null, null",
        "/v2/_catalog, CATALOG, null, null",
        "/v2/busybox/tags/list, TAGS, busybox, null",
        "/v2/a/b/c/tags/list, TAGS, a/b/c, null",
        "/v2/a/b/c/manifests/latest, MANIFEST, a/b/c, latest",
        "/v2/library/busybox/manifests/" + DIGEST + ", MANIFEST, library/busybox, " + DIGEST,
        "/v2/a/b/c/blobs/" + DIGEST + ", BLOB, a/b/c, " + DIGEST,
        "/v2/a/b/c/blobs/uploads/, UPLOADS, a/b/c, null",
        "/v2/a/b/c/blobs/uploads, UPLOADS, a/b/c, null",
        "/v2/a/b/c/blobs/uploads/0b5e3a4c-uuid, UPLOAD, a/b/c, 0b5e3a4c-uuid",
        "/v2/a/b/c/referrers/" + DIGEST + ", REFERRERS, a/b/c, " + DIGEST,
        "/v2/blobs/blobs/uploads/, UPLOADS, blobs, null",
        "/v2/x/manifests/manifests/latest, MANIFEST, x/manifests, latest",
        "/v2/tags/tags/list, TAGS, tags, null",
    })
    void matchesEveryEndpoint(String path, Endpoint endpoint, String name, String last) {
        assertThat(RegistryPath.match(path)).contains(new RegistryPath(endpoint, name, last));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/v1/", "/v2//", "/v3/", "/v2/a/unknown/x", "/v2/a/manifests/", "/v2/a/manifests",
        "/v2/a/tags/list/", "/v2/a/blobs/", "/v2/a/blobs/uploads/x/y", "/v2/_catalog/", "/v2/a/referrers/"})
    void matchesNothingElse(String path) {
        assertThat(RegistryPath.match(path)).isEmpty();
    }

    /** Every URL a client builds must come back as the same endpoint, name and last element on the server. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "library/busybox", "a/b/c", "blobs", "a/blobs", "a/blobs/uploads", "x/manifests",
        "x/tags", "tags/list", "v2", "a/referrers", "a/manifests/b"})
    void builtUrlsRoundTrip(String value) {
        RepositoryName name = RepositoryName.parse(value);
        Digest digest = Digest.parse(DIGEST);
        assertThat(RegistryPath.match(RegistryPath.tags(name))).contains(new RegistryPath(Endpoint.TAGS, value, null));
        assertThat(RegistryPath.match(RegistryPath.manifest(name, Tag.parse("latest"))))
                .contains(new RegistryPath(Endpoint.MANIFEST, value, "latest"));
        assertThat(RegistryPath.match(RegistryPath.manifest(name, digest)))
                .contains(new RegistryPath(Endpoint.MANIFEST, value, DIGEST));
        assertThat(RegistryPath.match(RegistryPath.blob(name, digest))).contains(new RegistryPath(Endpoint.BLOB, value, DIGEST));
        assertThat(RegistryPath.match(RegistryPath.uploads(name))).contains(new RegistryPath(Endpoint.UPLOADS, value, null));
        assertThat(RegistryPath.match(RegistryPath.upload(name, "f47ac10b-58cc")))
                .contains(new RegistryPath(Endpoint.UPLOAD, value, "f47ac10b-58cc"));
        assertThat(RegistryPath.match(RegistryPath.referrers(name, digest)))
                .contains(new RegistryPath(Endpoint.REFERRERS, value, DIGEST));
    }

    @Test
    void buildsFixedUrls() {
        assertThat(RegistryPath.base()).isEqualTo("/v2/");
        assertThat(RegistryPath.catalog()).isEqualTo("/v2/_catalog");
        assertThat(RegistryPath.match(RegistryPath.base())).contains(new RegistryPath(Endpoint.BASE, null, null));
        assertThat(RegistryPath.match(RegistryPath.catalog())).contains(new RegistryPath(Endpoint.CATALOG, null, null));
        RepositoryName name = RepositoryName.parse("a/b");
        assertThat(RegistryPath.uploads(name)).isEqualTo("/v2/a/b/blobs/uploads/");
        assertThat(RegistryPath.manifest(name, Tag.parse("v1"))).isEqualTo("/v2/a/b/manifests/v1");
    }

    @Test
    void leavesNameValidationToTheCaller() {
        Optional<RegistryPath> path = RegistryPath.match("/v2/UPPER/../x/manifests/latest");
        assertThat(path).map(RegistryPath::name).contains("UPPER/../x");
        assertThat(RepositoryName.isValid(path.orElseThrow().name())).isFalse();
    }
}
