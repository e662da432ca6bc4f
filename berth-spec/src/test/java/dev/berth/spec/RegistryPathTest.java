package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.RegistryPath.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** The URL grammar as regular expressions, tried in order: the definition the matcher must agree with. */
    private static final List<Map.Entry<Endpoint, Pattern>> GRAMMAR = List.of(
            Map.entry(Endpoint.BASE, Pattern.compile("/v2/?")),
            Map.entry(Endpoint.CATALOG, Pattern.compile("/v2/_catalog")),
            Map.entry(Endpoint.TAGS, Pattern.compile("/v2/(.+)/tags/list")),
            Map.entry(Endpoint.MANIFEST, Pattern.compile("/v2/(.+)/manifests/([^/]+)")),
            Map.entry(Endpoint.UPLOAD, Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)")),
            Map.entry(Endpoint.UPLOADS, Pattern.compile("/v2/(.+)/blobs/uploads/?")),
            Map.entry(Endpoint.BLOB, Pattern.compile("/v2/(.+)/blobs/([^/]+)")),
            Map.entry(Endpoint.REFERRERS, Pattern.compile("/v2/(.+)/referrers/([^/]+)")));

    private static Optional<RegistryPath> byGrammar(String path) {
        for (Map.Entry<Endpoint, Pattern> rule : GRAMMAR) {
            Matcher m = rule.getValue().matcher(path);
            if (m.matches()) {
                return Optional.of(new RegistryPath(rule.getKey(),
                        m.groupCount() >= 1 ? m.group(1) : null, m.groupCount() >= 2 ? m.group(2) : null));
            }
        }
        return Optional.empty();
    }

    @Test
    void agreesWithTheGrammarOnEveryPathBuiltFromItsPieces() {
        List<String> pieces = List.of("", "/", "v2", "a", "b.c", "_catalog", "tags", "list", "manifests", "blobs",
                "uploads", "referrers", "latest", DIGEST, "\n", "%2F", "..");
        List<String> paths = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder path = new StringBuilder(random.nextInt(10) == 0 ? "/v3" : "/v2");
            int length = random.nextInt(7);
            for (int j = 0; j < length; j++) {
                path.append(random.nextInt(8) == 0 ? "" : "/").append(pieces.get(random.nextInt(pieces.size())));
            }
            if (random.nextBoolean()) {
                path.append('/');
            }
            paths.add(path.toString());
        }
        for (String path : paths) {
            assertThat(RegistryPath.match(path)).as(path).isEqualTo(byGrammar(path));
        }
    }
}
