package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.Digest;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.Platform;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PlatformMatcherTest {

    /** wanted, candidate, matches? — containerd's platforms.Only semantics. */
    @ParameterizedTest(name = "{0} runs {1}: {2}")
    @CsvSource({
            "linux/amd64,        linux/amd64,       true",
            "linux/amd64,        linux/x86_64,      true",
            "linux/x86_64,       linux/amd64,       true",
            "linux/amd64,        linux/amd64/v1,    true",
            "linux/amd64,        linux/386,         true",
            "linux/amd64,        linux/i386,        true",
            "linux/amd64,        linux/amd64/v2,    false",
            "linux/amd64/v3,     linux/amd64/v2,    true",
            "linux/amd64/v3,     linux/amd64,       true",
            "linux/amd64,        linux/arm64,       false",
            "linux/amd64,        windows/amd64,     false",
            "LINUX/AMD64,        linux/amd64,       true",
            "linux/arm64,        linux/arm64/v8,    true",
            "linux/arm64/v8,     linux/arm64,       true",
            "linux/aarch64,      linux/arm64/v8,    true",
            "linux/arm64,        linux/arm64/8,     true",
            "linux/arm64,        linux/arm/v8,      true",
            "linux/arm64,        linux/arm/v7,      true",
            "linux/arm64,        linux/arm/v5,      true",
            "linux/arm64,        linux/arm64/v8.1,  false",
            "linux/arm64/v8.2,   linux/arm64/v8.1,  true",
            "linux/arm64/v8.2,   linux/arm64,       true",
            "linux/arm64/v9.1,   linux/arm64/v9,    true",
            "linux/arm64/v9.1,   linux/arm64/v8.6,  true",
            "linux/arm64/v9.1,   linux/arm64/v8.7,  false",
            "linux/arm,          linux/arm/v7,      true",
            "linux/arm/v7,       linux/arm,         true",
            "linux/arm/v7,       linux/arm/v6,      true",
            "linux/arm/v6,       linux/arm/v7,      false",
            "linux/arm/v7,       linux/arm64,       false",
            "linux/armhf,        linux/arm/v7,      true",
            "linux/armel,        linux/arm/v6,      true",
            "linux/ppc64le,      linux/ppc64le,     true",
            "linux/s390x,        linux/ppc64le,     false",
            "darwin/arm64,       macos/arm64,       true",
    })
    void matchesAsContainerdDoes(String wanted, String candidate, boolean matches) {
        assertThat(PlatformMatcher.parse(wanted).matches(platform(candidate))).isEqualTo(matches);
    }

    @Test
    void prefersTheExactPlatformOverWhatItCanAlsoRun() {
        List<Descriptor> index = List.of(entry("linux/386"), entry("linux/arm/v7"), entry("linux/amd64"), entry("linux/arm64/v8"));
        assertThat(select("linux/amd64", index)).contains("linux/amd64");
        assertThat(select("linux/arm64", index)).contains("linux/arm64/v8");
        assertThat(select("linux/arm/v7", index)).contains("linux/arm/v7");
        assertThat(select("linux/arm/v6", index)).isEmpty();
        assertThat(select("linux/arm64", List.of(entry("linux/arm/v6"), entry("linux/arm/v7")))).contains("linux/arm/v7");
        assertThat(select("linux/amd64", List.of(entry("linux/386"), entry("linux/arm64")))).contains("linux/386");
        assertThat(select("linux/amd64/v3", List.of(entry("linux/amd64"), entry("linux/amd64/v2")))).contains("linux/amd64/v2");
    }

    @Test
    void takesTheFirstOfEqualEntriesAndIgnoresEntriesWithoutPlatform() {
        Descriptor first = entry("linux/amd64");
        Descriptor second = entry("linux/amd64");
        Descriptor attestation = entry("unknown/unknown");
        Descriptor none = new Descriptor(MediaTypes.OCI_MANIFEST, digest("none"), 2, null, Map.of(), null);
        assertThat(PlatformMatcher.parse("linux/amd64").select(List.of(none, attestation, first, second))).containsSame(first);
        assertThat(PlatformMatcher.parse("linux/amd64").matches(null)).isFalse();
    }

    @Test
    void allMatchesEverything() {
        assertThat(PlatformMatcher.all().isAll()).isTrue();
        assertThat(PlatformMatcher.all().matches(platform("linux/s390x"))).isTrue();
        assertThat(PlatformMatcher.all().platform()).isEmpty();
        assertThat(PlatformMatcher.all()).hasToString("all platforms");
    }

    @Test
    void hostIsLinuxOnThisMachinesArchitecture() {
        PlatformMatcher host = PlatformMatcher.host();
        String arch = System.getProperty("os.arch");
        assertThat(host.platform().orElseThrow().os()).isEqualTo("linux");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            assertThat(host).hasToString("linux/amd64");
        } else if (arch.equals("aarch64")) {
            assertThat(host).hasToString("linux/arm64");
        }
    }

    @Test
    void normalisesWhatItWasGiven() {
        assertThat(PlatformMatcher.parse("linux/arm64/v8")).hasToString("linux/arm64");
        assertThat(PlatformMatcher.parse("linux/aarch64")).hasToString("linux/arm64");
        assertThat(PlatformMatcher.parse("linux/arm")).hasToString("linux/arm/v7");
        assertThat(PlatformMatcher.parse("linux/x86_64")).hasToString("linux/amd64");
    }

    @Test
    void refusesMalformedPlatforms() {
        for (String bad : List.of("linux", "linux/", "/amd64", "linux/amd64/v8/x", "")) {
            assertThatThrownBy(() -> PlatformMatcher.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Optional<String> select(String wanted, List<Descriptor> index) {
        return PlatformMatcher.parse(wanted).select(index).map(d -> PlatformMatcher.format(d.platform()));
    }

    static Platform platform(String text) {
        String[] parts = text.split("/");
        return new Platform(parts[1], parts[0], parts.length > 2 ? parts[2] : null, null, List.of());
    }

    static Descriptor entry(String platform) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest(platform + Arrays.toString(new Object[] {new Object()})), 100,
                null, Map.of(), platform(platform));
    }

    private static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }
}
