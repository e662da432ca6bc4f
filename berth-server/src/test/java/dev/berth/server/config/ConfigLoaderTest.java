package dev.berth.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four layers of {@code berth serve}'s configuration, and every way to get one wrong. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void nothingGivenIsTheDefaults() {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of())).isEqualTo(BerthConfig.defaults());
    }

    @Test
    void fileThenEnvironmentThenFlags() throws IOException {
        Path file = yaml("""
                http:
                  addr: 127.0.0.1:6000
                registry:
                  maxTagsPage: 50
                  deleteEnabled: true
                auth:
                  issuer: from-file
                """);
        BerthConfig config = ConfigLoader.load(file,
                Map.of("BERTH_HTTP_ADDR", "127.0.0.1:7000", "BERTH_REGISTRY_DELETE_ENABLED", "false",
                        "BERTH_AUTH_ISSUER", "from-env", "UNRELATED", "x"),
                Map.of("http.addr", "127.0.0.1:8000"));

        assertThat(config.http().addr()).isEqualTo("127.0.0.1:8000");
        assertThat(config.registry().deleteEnabled()).isFalse();
        assertThat(config.auth().issuer()).isEqualTo("from-env");
        assertThat(config.registry().maxTagsPage()).isEqualTo(50);
        assertThat(config.registry().maxCatalogPage()).isEqualTo(BerthConfig.defaults().registry().maxCatalogPage());
        assertThat(config.storage()).isEqualTo(BerthConfig.defaults().storage());
    }

    @Test
    void everyKeyHasAnEnvironmentName() {
        assertThat(ConfigLoader.envName("http.addr")).isEqualTo("BERTH_HTTP_ADDR");
        assertThat(ConfigLoader.envName("registry.deleteEnabled")).isEqualTo("BERTH_REGISTRY_DELETE_ENABLED");
        assertThat(ConfigLoader.envName("http.allowPublicWithoutAuth")).isEqualTo("BERTH_HTTP_ALLOW_PUBLIC_WITHOUT_AUTH");
        assertThat(ConfigLoader.envName("rateLimit.windowSeconds")).isEqualTo("BERTH_RATE_LIMIT_WINDOW_SECONDS");
    }

    @Test
    void anEmptyFileChangesNothing() throws IOException {
        assertThat(fromYaml("")).isEqualTo(BerthConfig.defaults());
        assertThat(fromYaml("# only a comment\n")).isEqualTo(BerthConfig.defaults());
    }

    @Test
    void aTypoInTheFileIsNamed() throws IOException {
        assertThatThrownBy(() -> fromYaml("storage:\n  paht: /srv\n"))
                .isInstanceOf(ConfigException.class).hasMessage("unknown configuration key: storage.paht");
        assertThatThrownBy(() -> fromYaml("cache:\n  size: 1\n"))
                .isInstanceOf(ConfigException.class).hasMessage("unknown configuration key: cache.size");
    }

    @Test
    void anUnknownFlagKeyIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.port", "5000")))
                .isInstanceOf(ConfigException.class).hasMessage("unknown configuration key: http.port");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.addr.host", "x")))
                .isInstanceOf(ConfigException.class).hasMessage("unknown configuration key: http.addr.host");
    }

    @Test
    void aSectionMustBeAMapping() throws IOException {
        assertThatThrownBy(() -> fromYaml("http: 5000\n"))
                .isInstanceOf(ConfigException.class).hasMessage("configuration key http must be a mapping");
    }

    @Test
    void theFileMustBeAMapping() throws IOException {
        Path file = yaml("- http\n- storage\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage(file + ": expected a mapping of settings");
    }

    @Test
    void brokenYamlNamesTheFile() throws IOException {
        Path file = yaml("http:\n  addr: [127.0.0.1\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(file + ": ");
    }

    @Test
    void aMissingFileIsAnError() {
        Path file = dir.resolve("absent.yml");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cannot read " + file);
    }

    @Test
    void aValueOfTheWrongTypeNamesItsKey() throws IOException {
        assertThatThrownBy(() -> fromYaml("registry:\n  maxTagsPage: lots\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: registry.maxTagsPage: ").hasMessageContaining("lots");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BERTH_REGISTRY_DELETE_ENABLED", "maybe"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: registry.deleteEnabled: ").hasMessageContaining("maybe");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("rateLimit.windowSeconds", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: rateLimit.windowSeconds: ");
    }

    @Test
    void aNumberOrFlagMayNotBeLeftEmpty() throws IOException {
        assertThatThrownBy(() -> fromYaml("registry:\n  maxTagsPage: ~\n"))
                .isInstanceOf(ConfigException.class).hasMessage("invalid configuration: registry.maxTagsPage: no value");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BERTH_RATE_LIMIT_ENABLED", " "), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("invalid configuration: rateLimit.enabled: no value");
    }

    @Test
    void anEmptyTextIsEmptyNotNull() throws IOException {
        assertThat(fromYaml("auth:\n  realm: ~\n").auth().realm()).isEmpty();
    }

    @Test
    void aListIsNotAValue() throws IOException {
        assertThatThrownBy(() -> fromYaml("http:\n  addr: [a, b]\n"))
                .isInstanceOf(ConfigException.class).hasMessage("configuration key http.addr takes one value, not a list");
    }

    @Test
    void yamlScalarsOfEveryKindAreRead() throws IOException {
        BerthConfig config = fromYaml("""
                http:
                  allowPublicWithoutAuth: True
                registry:
                  maxTagsPage: 25
                rateLimit:
                  enabled: true
                  windowSeconds: "60"
                auth:
                  issuer: 42
                """);
        assertThat(config.http().allowPublicWithoutAuth()).isTrue();
        assertThat(config.registry().maxTagsPage()).isEqualTo(25);
        assertThat(config.rateLimit().enabled()).isTrue();
        assertThat(config.rateLimit().windowSeconds()).isEqualTo(60);
        assertThat(config.auth().issuer()).isEqualTo("42");
    }

    private BerthConfig fromYaml(String text) throws IOException {
        return ConfigLoader.load(yaml(text), Map.of(), Map.of());
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "berth", ".yml");
        Files.writeString(file, text);
        return file;
    }
}
