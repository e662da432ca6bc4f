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
        assertThat(ConfigLoader.load(yaml(""), Map.of(), Map.of())).isEqualTo(BerthConfig.defaults());
        assertThat(ConfigLoader.load(yaml("# only a comment\n"), Map.of(), Map.of())).isEqualTo(BerthConfig.defaults());
    }

    @Test
    void aTypoInTheFileIsNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("storage:\n  paht: /srv\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("unknown configuration key: storage.paht");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("cache:\n  size: 1\n"), Map.of(), Map.of()))
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
        assertThatThrownBy(() -> ConfigLoader.load(yaml("http: 5000\n"), Map.of(), Map.of()))
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
        assertThatThrownBy(() -> ConfigLoader.load(yaml("registry:\n  maxTagsPage: lots\n"), Map.of(), Map.of()))
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
        assertThatThrownBy(() -> ConfigLoader.load(yaml("registry:\n  maxTagsPage: ~\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("invalid configuration: registry.maxTagsPage: no value");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BERTH_RATE_LIMIT_ENABLED", " "), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("invalid configuration: rateLimit.enabled: no value");
    }

    @Test
    void anEmptyTextIsEmptyNotNull() throws IOException {
        assertThat(ConfigLoader.load(yaml("auth:\n  realm: ~\n"), Map.of(), Map.of()).auth().realm()).isEmpty();
    }

    @Test
    void aListIsNotAValue() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("http:\n  addr: [a, b]\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("configuration key http.addr takes one value, not a list");
    }

    @Test
    void yamlScalarsOfEveryKindAreRead() throws IOException {
        BerthConfig config = ConfigLoader.load(yaml("""
                http:
                  allowPublicWithoutAuth: True
                registry:
                  maxTagsPage: 25
                rateLimit:
                  enabled: true
                  windowSeconds: "60"
                auth:
                  issuer: 42
                """), Map.of(), Map.of());
        assertThat(config.http().allowPublicWithoutAuth()).isTrue();
        assertThat(config.registry().maxTagsPage()).isEqualTo(25);
        assertThat(config.rateLimit().enabled()).isTrue();
        assertThat(config.rateLimit().windowSeconds()).isEqualTo(60);
        assertThat(config.auth().issuer()).isEqualTo("42");
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "berth", ".yml");
        Files.writeString(file, text);
        return file;
    }
}
