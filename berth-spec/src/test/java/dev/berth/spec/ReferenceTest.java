package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.auth.Scope;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Docker's normalisation cases ({@code distribution/reference} normalize_test.go, reference_test.go). */
class ReferenceTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        // input,                                   canonical,                                             familiar
        "alpine,                                    docker.io/library/alpine:latest,                       alpine:latest",
        "alpine:3.20,                               docker.io/library/alpine:3.20,                         alpine:3.20",
        "library/alpine,                            docker.io/library/alpine:latest,                       alpine:latest",
        "docker.io/alpine,                          docker.io/library/alpine:latest,                       alpine:latest",
        "docker.io/library/alpine,                  docker.io/library/alpine:latest,                       alpine:latest",
        "index.docker.io/alpine,                    docker.io/library/alpine:latest,                       alpine:latest",
        "index.docker.io/docker/docker,             docker.io/docker/docker:latest,                        docker/docker:latest",
        "registry-1.docker.io/library/debian:12,    docker.io/library/debian:12,                           debian:12",
        "user/app:1,                                docker.io/user/app:1,                                  user/app:1",
        "docker-test-user/foo/docker,               docker.io/docker-test-user/foo/docker:latest,          docker-test-user/foo/docker:latest",
        "library/foo/bar,                           docker.io/library/foo/bar:latest,                      library/foo/bar:latest",
        "localhost/x,                               localhost/x:latest,                                    localhost/x:latest",
        "localhost:5000/x,                          localhost:5000/x:latest,                               localhost:5000/x:latest",
        "localhost:5000/a/b:tag,                    localhost:5000/a/b:tag,                                localhost:5000/a/b:tag",
        "a.b/c,                                     a.b/c:latest,                                          a.b/c:latest",
        "ghcr.io/owner/image:v1.2.3,                ghcr.io/owner/image:v1.2.3,                            ghcr.io/owner/image:v1.2.3",
        "127.0.0.1:5000/docker/docker,              127.0.0.1:5000/docker/docker:latest,                   127.0.0.1:5000/docker/docker:latest",
        "192.168.0.1:8/debian,                      192.168.0.1:8/debian:latest,                           192.168.0.1:8/debian:latest",
        "[::1]:5000/x,                              [::1]:5000/x:latest,                                   [::1]:5000/x:latest",
        "[fc00:1:2:3:4:5:6:7]:5000/library/debian,  [fc00:1:2:3:4:5:6:7]:5000/library/debian:latest,       [fc00:1:2:3:4:5:6:7]:5000/library/debian:latest",
        "[fc00::1]/docker,                          [fc00::1]/docker:latest,                               [fc00::1]/docker:latest",
        "xn--n3h.com/myimage,                       xn--n3h.com/myimage:latest,                            xn--n3h.com/myimage:latest",
        "example:5000/app,                          example:5000/app:latest,                               example:5000/app:latest",
        "Example.com/app,                           Example.com/app:latest,                                Example.com/app:latest",
        "Upper/app,                                 Upper/app:latest,                                      Upper/app:latest",
        "docker_test/docker,                        docker.io/docker_test/docker:latest,                   docker_test/docker:latest",
        "192.168.0.1,                               docker.io/library/192.168.0.1:latest,                  192.168.0.1:latest",
        "192.168.0.1:80,                            docker.io/library/192.168.0.1:80,                      192.168.0.1:80",
        "localhost:5000,                            docker.io/library/localhost:5000,                      localhost:5000",
        "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev, "
            + "docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest, "
            + "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest",
    })
    void normalisesAsDockerDoes(String input, String canonical, String familiar) {
        Reference ref = Reference.parse(input);
        assertThat(ref).hasToString(canonical);
        assertThat(ref.familiar()).isEqualTo(familiar);
        assertThat(ref).isInstanceOf(Reference.ByTag.class);
        assertThat(Reference.parse(canonical)).as("canonical form round-trips").isEqualTo(ref);
        assertThat(Reference.parse(familiar)).as("familiar form round-trips").isEqualTo(ref);
    }

    @Test
    void splitsRegistryRepositoryAndTag() {
        Reference ref = Reference.parse("alpine");
        assertThat(ref.registry()).isEqualTo(new Registry("docker.io"));
        assertThat(ref.registry().host()).isEqualTo("docker.io");
        assertThat(ref.apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ref.name()).isEqualTo(RepositoryName.parse("library/alpine"));
        assertThat(ref.identifier()).isEqualTo(Tag.parse("latest"));
        assertThat(ref.repository()).hasToString("docker.io/library/alpine");
        assertThat(ref.repository().familiar()).isEqualTo("alpine");

        Reference local = Reference.parse("localhost:5000/team/app:1");
        assertThat(local.apiHost()).isEqualTo("localhost:5000");
        assertThat(local.registry().hostname()).isEqualTo("localhost");
        assertThat(local.registry().port()).hasValue(5000);
        assertThat(local.name().value()).isEqualTo("team/app");
    }

    @Test
    void digestWinsOverTag() {
        Reference ref = Reference.parse("host:5000/a/b:v1@" + DIGEST);
        assertThat(ref).isInstanceOf(Reference.ByDigest.class);
        Reference.ByDigest byDigest = (Reference.ByDigest) ref;
        assertThat(byDigest.identifier()).isEqualTo(Digest.parse(DIGEST));
        assertThat(byDigest.tag()).contains(Tag.parse("v1"));
        assertThat(ref).hasToString("host:5000/a/b:v1@" + DIGEST);
        assertThat(ref.familiar()).isEqualTo("host:5000/a/b:v1@" + DIGEST);

        Reference plain = Reference.parse("alpine@" + DIGEST);
        assertThat(plain).isEqualTo(new Reference.ByDigest(Repository.parse("alpine"), Digest.parse(DIGEST)));
        assertThat(plain).hasToString("docker.io/library/alpine@" + DIGEST);
        assertThat(plain.familiar()).isEqualTo("alpine@" + DIGEST);
        assertThat(((Reference.ByDigest) plain).tag()).isEmpty();
        assertThat(Reference.parse("localhost:5000/x@" + DIGEST).registry().host()).isEqualTo("localhost:5000");
    }

    @Test
    void pinsToDigest() {
        Reference.ByDigest pinned = Reference.parse("alpine:3").withDigest(Digest.parse(DIGEST));
        assertThat(pinned).hasToString("docker.io/library/alpine:3@" + DIGEST);
        assertThat(pinned.tag()).contains(Tag.parse("3"));
    }

    @Test
    void scopes() {
        assertThat(Reference.parse("alpine").scope("pull")).isEqualTo(Scope.parse("repository:library/alpine:pull"));
        assertThat(Reference.parse("localhost:5000/a/b:1").scope("pull", "push")).hasToString("repository:a/b:pull,push");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "docker/Docker",                         // upper case repository
        "docker.io/docker/Docker",
        "Alpine",                                // one component: never a host, so upper case is an error
        "-docker", "-docker/docker", "-docker.io/docker/docker",
        "docker///docker", "docker.io/docker///docker", "a//b", "a/", "/a",
        "https://github.com/docker/docker",
        "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", // an image id
        "[fe80::1%eth0]:5000/debian",            // no zones
        "[fc00::1]:5000/Docker",
        "localhost:99999/x", "localhost:0/x",
        "alpine:", "alpine@", "alpine:tag:other", "alpine:-tag", "alpine:ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
        "alpine@sha256:abc", "alpine@md5:d41d8cd98f00b204e9800998ecf8427e",
        "alpine@sha256:ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
        "a b", "a\tb", "ä/b", "host:port/x",
    })
    void rejectsInvalid(String input) {
        assertThatThrownBy(() -> Reference.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid reference format");
    }

    @Test
    void rejectsTooLong() {
        // Docker counts the whole name, registry included, after normalisation.
        String path = "a".repeat(127) + "/" + "b".repeat(117);
        assertThat(("docker.io/" + path).length()).isEqualTo(255);
        assertThat(Reference.parse(path).name().value()).isEqualTo(path);
        assertThatThrownBy(() -> Reference.parse(path + "b")).hasMessageContaining("more than 255");
        String oneComponent = "a".repeat(255 - "docker.io/library/".length());
        assertThat(Reference.parse(oneComponent)).hasToString("docker.io/library/" + oneComponent + ":latest");
        assertThatThrownBy(() -> Reference.parse(oneComponent + "a")).hasMessageContaining("more than 255");
        assertThatThrownBy(() -> Reference.parse("x".repeat(5000))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usesOptions() {
        ParseOptions ghcr = ParseOptions.DOCKER.withDefaultRegistry("ghcr.io").withDefaultTag("stable");
        assertThat(Reference.parse("team/app", ghcr)).hasToString("ghcr.io/team/app:stable");
        assertThat(Reference.parse("app", ghcr)).as("library/ only on docker.io").hasToString("ghcr.io/app:stable");
        assertThat(Reference.parse("quay.io/a/b", ghcr)).hasToString("quay.io/a/b:stable");

        ParseOptions strict = ParseOptions.DOCKER.strict();
        assertThat(Reference.parse("docker.io/alpine:3", strict)).hasToString("docker.io/library/alpine:3");
        assertThat(Reference.parse("localhost:5000/a@" + DIGEST, strict)).isInstanceOf(Reference.ByDigest.class);
        assertThatThrownBy(() -> Reference.parse("alpine:3", strict)).hasMessageContaining("registry is required");
        assertThatThrownBy(() -> Reference.parse("docker.io/alpine", strict)).hasMessageContaining("tag or digest");
    }

    @Test
    void parsesRepositories() {
        assertThat(Repository.parse("alpine")).hasToString("docker.io/library/alpine");
        assertThat(Repository.parse("localhost:5000/a/b")).isEqualTo(
                new Repository(new Registry("localhost:5000"), RepositoryName.parse("a/b")));
        assertThat(Repository.parse("ghcr.io/a/b").familiar()).isEqualTo("ghcr.io/a/b");
        assertThat(Repository.parse("docker.io/user/app").familiar()).isEqualTo("user/app");
        assertThatThrownBy(() -> Repository.parse("alpine:3")).hasMessageContaining("no tag or digest");
        assertThatThrownBy(() -> Repository.parse("alpine@" + DIGEST)).hasMessageContaining("no tag or digest");
        assertThatThrownBy(() -> Repository.parse("Alpine")).hasMessageContaining("lowercase");
    }

    @Test
    void registries() {
        assertThat(Registry.parse("index.docker.io")).isEqualTo(Registry.dockerHub());
        assertThat(Registry.parse("registry-1.docker.io").host()).isEqualTo("docker.io");
        assertThat(Registry.parse("https://index.docker.io/v1/")).isEqualTo(Registry.dockerHub());
        assertThat(Registry.parse("http://localhost:5000")).hasToString("localhost:5000");
        assertThat(Registry.dockerHub().apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(Registry.parse("ghcr.io").apiHost()).isEqualTo("ghcr.io");
        Registry v6 = Registry.parse("[::1]:5000");
        assertThat(v6.hostname()).isEqualTo("::1");
        assertThat(v6.port()).hasValue(5000);
        assertThat(Registry.parse("[::1]").port()).isEmpty();
        assertThat(Registry.parse("example.com").port()).isEmpty();
        assertThat(Registry.parse("example.com:443").hostname()).isEqualTo("example.com");
        for (String bad : new String[] {"", "a b", "-a.com", "a.com:", "a.com:x", "[::1", "a.com:70000", "user@host"}) {
            assertThatThrownBy(() -> Registry.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void byDigestTagIsNeverNull() {
        Reference.ByDigest ref = new Reference.ByDigest(Repository.parse("a"), Digest.parse(DIGEST), null);
        assertThat(ref.tag()).isEqualTo(Optional.empty());
    }
}
