package dev.berth.client.internal.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.spec.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Registry HUB = Registry.dockerHub();
    private static final Registry LOCAL = Registry.parse("localhost:5000");

    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void environment() throws IOException {
        Files.createDirectories(dir.resolve("home"));
        env = new HashMap<>(Map.of("HOME", dir.resolve("home").toString(), "PATH", dir.resolve("bin") + ":/usr/bin:/bin"));
    }

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Path write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    @Test
    void readsDockerConfigFromHomeOrDockerConfig() throws IOException {
        write(dir.resolve("home/.docker/config.json"), """
                {"auths": {"https://index.docker.io/v1/": {"auth": "%s"},
                           "http://localhost:5000/v1/": {"auth": "%s", "identitytoken": "refresh-xyz"},
                           "ghcr.io": {"username": "u", "password": "p"}},
                 "HttpHeaders": {"X-Keep": "me"}}
                """.formatted(auth("hubuser", "pw:with:colons"), auth("bob", "bobpw")));
        CredentialStore store = CredentialStore.dockerConfig(env);
        assertThat(store.get(HUB)).contains(Credential.basic("hubuser", "pw:with:colons"));
        assertThat(store.get(Registry.parse("index.docker.io"))).contains(Credential.basic("hubuser", "pw:with:colons"));
        assertThat(store.get(LOCAL)).contains(new Credential("bob", "bobpw", "refresh-xyz"));
        assertThat(store.get(Registry.parse("ghcr.io"))).contains(Credential.basic("u", "p"));
        assertThat(store.get(Registry.parse("localhost:5001"))).isEmpty();

        env.put("DOCKER_CONFIG", dir.resolve("elsewhere").toString());
        assertThat(CredentialStore.dockerConfig(env).get(HUB)).as("DOCKER_CONFIG wins").isEmpty();
        write(dir.resolve("elsewhere/config.json"), "{\"auths\":{\"docker.io\":{\"auth\":\"" + auth("x", "y") + "\"}}}");
        assertThat(CredentialStore.dockerConfig(env).get(HUB)).contains(Credential.basic("x", "y"));
    }

    @Test
    void writesAuthsKeepingEverythingElse() throws IOException {
        Path config = write(dir.resolve("home/.docker/config.json"), """
                {"auths": {"docker.io": {"auth": "%s"}}, "HttpHeaders": {"X-Keep": "me"}, "psFormat": "table"}
                """.formatted(auth("old", "old")));
        CredentialStore store = CredentialStore.dockerConfig(env);
        store.store(HUB, Credential.basic("alice", "s3cret"));
        store.store(LOCAL, Credential.identityToken(null, "tok"));

        JsonNode root = JSON.readTree(config.toFile());
        assertThat(root.path("HttpHeaders").path("X-Keep").asText()).isEqualTo("me");
        assertThat(root.path("psFormat").asText()).isEqualTo("table");
        assertThat(root.path("auths").has("docker.io")).as("the old Hub entry is replaced").isFalse();
        assertThat(root.path("auths").path("https://index.docker.io/v1/").path("auth").asText()).isEqualTo(auth("alice", "s3cret"));
        assertThat(root.path("auths").path("localhost:5000").path("identitytoken").asText()).isEqualTo("tok");
        assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(store.get(HUB)).contains(Credential.basic("alice", "s3cret"));
        assertThat(store.get(LOCAL)).hasValueSatisfying(c -> assertThat(c.identityToken()).isEqualTo("tok"));

        store.erase(HUB);
        assertThat(store.get(HUB)).isEmpty();
        assertThat(store.get(LOCAL)).isPresent();
        store.erase(Registry.parse("never.example"));
    }

    @Test
    void createsTheFileWhenMissing() {
        CredentialStore store = CredentialStore.dockerConfig(env);
        assertThat(store.get(HUB)).isEmpty();
        store.store(LOCAL, Credential.basic("a", "b"));
        assertThat(Files.exists(dir.resolve("home/.docker/config.json"))).isTrue();
        assertThat(store.description()).endsWith("config.json");
    }

    @Test
    void usesCredentialHelpersPerRegistryAndForAll() throws IOException {
        Path store = installHelper("teststore");
        Path special = installHelper("special");
        Path config = write(dir.resolve("home/.docker/config.json"), """
                {"credsStore": "teststore", "credHelpers": {"localhost:5000": "special"}}
                """);
        CredentialStore docker = CredentialStore.dockerConfig(env);

        docker.store(HUB, Credential.basic("hubuser", "hubpw"));
        docker.store(LOCAL, Credential.identityToken(null, "refresh-abc"));
        assertThat(Files.readString(store.resolveSibling("teststore.db"))).contains("https://index.docker.io/v1/");
        assertThat(Files.readString(special.resolveSibling("special.db"))).contains("localhost:5000").doesNotContain("hubuser");
        JsonNode root = JSON.readTree(config.toFile());
        assertThat(root.path("auths").path("https://index.docker.io/v1/").isEmpty()).as("docker leaves an empty entry").isTrue();
        assertThat(Files.readString(config)).doesNotContain("hubpw", "refresh-abc");

        assertThat(docker.get(HUB)).contains(Credential.basic("hubuser", "hubpw"));
        assertThat(docker.get(LOCAL)).hasValueSatisfying(c -> {
            assertThat(c.identityToken()).isEqualTo("refresh-abc");
            assertThat(c.username()).isEqualTo(Credential.TOKEN_USER);
        });
        assertThat(docker.get(Registry.parse("ghcr.io"))).as("not found in the helper").isEmpty();

        docker.erase(HUB);
        assertThat(docker.get(HUB)).isEmpty();
        assertThat(docker.description()).contains("credsStore teststore");
    }

    @Test
    void reportsBrokenHelpers() throws IOException {
        write(dir.resolve("home/.docker/config.json"), "{\"credsStore\": \"missing\"}");
        assertThatThrownBy(() -> CredentialStore.dockerConfig(env).get(HUB)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("docker-credential-missing not found on PATH");

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path failing = Files.writeString(bin.resolve("docker-credential-failing"), "#!/bin/sh\necho 'keychain locked' >&2\nexit 3\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        write(dir.resolve("home/.docker/config.json"), "{\"credsStore\": \"failing\"}");
        assertThatThrownBy(() -> CredentialStore.dockerConfig(env).get(HUB)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("docker-credential-failing get failed (exit 3): keychain locked");
    }

    @Test
    void readsPodmanAuthFiles() throws IOException {
        Path explicit = write(dir.resolve("explicit.json"), "{\"auths\":{\"localhost:5000\":{\"auth\":\"" + auth("p", "q") + "\"}}}");
        env.put("REGISTRY_AUTH_FILE", explicit.toString());
        assertThat(CredentialStore.podman(env).get(LOCAL)).contains(Credential.basic("p", "q"));

        env.remove("REGISTRY_AUTH_FILE");
        env.put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
        write(dir.resolve("run/containers/auth.json"), "{\"auths\":{\"docker.io\":{\"auth\":\"" + auth("r", "s") + "\"}}}");
        CredentialStore podman = CredentialStore.podman(env);
        assertThat(podman.get(HUB)).contains(Credential.basic("r", "s"));
        podman.store(Registry.parse("quay.io"), Credential.basic("t", "u"));
        assertThat(JSON.readTree(dir.resolve("run/containers/auth.json").toFile()).path("auths").has("quay.io")).isTrue();
        podman.store(HUB, Credential.basic("v", "w"));
        assertThat(JSON.readTree(dir.resolve("run/containers/auth.json").toFile()).path("auths").has("docker.io"))
                .as("podman keys Docker Hub as docker.io").isTrue();

        env.remove("XDG_RUNTIME_DIR");
        write(dir.resolve("home/.config/containers/auth.json"), "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth("g", "h") + "\"}}}");
        assertThat(CredentialStore.podman(env).get(Registry.parse("ghcr.io"))).contains(Credential.basic("g", "h"));
    }

    @Test
    void chainsAndHoldsInMemory() {
        CredentialStore memory = CredentialStore.of(Map.of(LOCAL, Credential.basic("m", "n")));
        CredentialStore docker = CredentialStore.dockerConfig(env);
        docker.store(HUB, Credential.basic("d", "e"));
        CredentialStore chain = CredentialStore.firstOf(List.of(memory, docker));
        assertThat(chain.get(LOCAL)).contains(Credential.basic("m", "n"));
        assertThat(chain.get(HUB)).contains(Credential.basic("d", "e"));
        chain.store(HUB, Credential.basic("x", "y"));
        assertThat(memory.get(HUB)).contains(Credential.basic("x", "y"));
        assertThat(CredentialStore.none().get(HUB)).isEmpty();
        assertThatThrownBy(() -> CredentialStore.none().store(HUB, Credential.basic("a", "b")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void neverPrintsSecrets() {
        assertThat(new Credential("u", "pw", "tok")).hasToString("Credential[username=u, password=***, identityToken=***]");
        assertThat(CredentialStore.dockerKey(HUB)).isEqualTo("https://index.docker.io/v1/");
        assertThat(CredentialStore.dockerKey(LOCAL)).isEqualTo("localhost:5000");
        assertThat(AuthFileStore.hostOf("https://myreg:5000/v1/")).isEqualTo("myreg:5000");
    }

    /**
     * A real helper-protocol peer: a shell script keeping {@code ServerURL<TAB>Username<TAB>Secret} lines in
     * {@code <name>.db} next to itself.
     */
    private Path installHelper(String name) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, """
                #!/bin/sh
                db="$(dirname "$0")/%s.db"
                touch "$db"
                case "$1" in
                  store)
                    input=$(cat)
                    url=$(printf '%%s' "$input" | sed -n 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/p')
                    user=$(printf '%%s' "$input" | sed -n 's/.*"Username":"\\([^"]*\\)".*/\\1/p')
                    secret=$(printf '%%s' "$input" | sed -n 's/.*"Secret":"\\([^"]*\\)".*/\\1/p')
                    grep -v "^$url	" "$db" > "$db.tmp"; mv "$db.tmp" "$db"
                    printf '%%s\\t%%s\\t%%s\\n' "$url" "$user" "$secret" >> "$db" ;;
                  get)
                    read -r url
                    line=$(grep "^$url	" "$db")
                    if [ -z "$line" ]; then echo "credentials not found in native keychain"; exit 1; fi
                    user=$(printf '%%s' "$line" | cut -f2); secret=$(printf '%%s' "$line" | cut -f3)
                    printf '{"ServerURL":"%%s","Username":"%%s","Secret":"%%s"}\\n' "$url" "$user" "$secret" ;;
                  erase)
                    read -r url
                    grep -v "^$url	" "$db" > "$db.tmp"; mv "$db.tmp" "$db" ;;
                  *) exit 2 ;;
                esac
                """.formatted(name));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
