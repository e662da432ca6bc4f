package dev.berth.client;

import dev.berth.client.internal.credentials.AuthFileStore;
import dev.berth.client.internal.credentials.ChainedStore;
import dev.berth.client.internal.credentials.MemoryStore;
import dev.berth.spec.Registry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the credentials for registries are kept. The client only {@linkplain #get reads}; {@code berth
 * login} and {@code logout} {@linkplain #store store} and {@linkplain #erase erase}.
 *
 * <pre>{@code
 * CredentialStore docker = CredentialStore.dockerConfig();          // ~/.docker/config.json, DOCKER_CONFIG honoured
 * docker.store(Registry.parse("ghcr.io"), Credential.basic("me", "ghp_…"));
 * RegistryClient client = RegistryClient.builder().credentials(docker).build();
 * }</pre>
 *
 * <p>The Docker and podman stores follow their files' rules: {@code auths} entries (base64
 * {@code auth}, {@code identitytoken}), and {@code credHelpers} (per registry) before {@code credsStore}
 * (for all), both through the {@code docker-credential-<name>} helper protocol. Docker Hub's key is
 * {@code https://index.docker.io/v1/}, every other registry's its {@code host[:port]}. Failures to read
 * or write (a broken file, a helper that fails) are {@link java.io.UncheckedIOException}s; a registry
 * without credentials is simply empty.
 */
public interface CredentialStore {

    Optional<Credential> get(Registry registry);

    /** Saves {@code credential} for {@code registry}, replacing any. */
    default void store(Registry registry, Credential credential) {
        throw new UnsupportedOperationException(description() + " is read-only");
    }

    /** Removes what is stored for {@code registry}; nothing stored is fine. */
    default void erase(Registry registry) {
        throw new UnsupportedOperationException(description() + " is read-only");
    }

    /** Where the credentials live, for messages: {@code /root/.docker/config.json (credsStore pass)}. */
    default String description() {
        return getClass().getSimpleName();
    }

    /** No credentials: every registry anonymously. */
    static CredentialStore none() {
        return registry -> Optional.empty();
    }

    /** An in-memory store, starting with a copy of {@code credentials}. */
    static CredentialStore of(Map<Registry, Credential> credentials) {
        return new MemoryStore(credentials);
    }

    /** Docker's {@code config.json} in {@code $DOCKER_CONFIG}, else {@code ~/.docker}. */
    static CredentialStore dockerConfig() {
        return dockerConfig(System.getenv());
    }

    /**
     * As {@link #dockerConfig()}, reading {@code DOCKER_CONFIG}, {@code HOME} and the {@code PATH} that
     * credential helpers are looked up on from {@code env}.
     */
    static CredentialStore dockerConfig(Map<String, String> env) {
        return AuthFileStore.docker(env);
    }

    /**
     * podman's {@code auth.json}: {@code $REGISTRY_AUTH_FILE}, else
     * {@code $XDG_RUNTIME_DIR/containers/auth.json}, else {@code ~/.config/containers/auth.json}.
     */
    static CredentialStore podman() {
        return podman(System.getenv());
    }

    static CredentialStore podman(Map<String, String> env) {
        return AuthFileStore.podman(env);
    }

    /** Reads from each store in turn until one has the registry; stores and erases in the first. */
    static CredentialStore firstOf(List<CredentialStore> stores) {
        return new ChainedStore(stores);
    }

    /** The key Docker files credentials under: {@code https://index.docker.io/v1/} for Docker Hub, else {@code host[:port]}. */
    static String dockerKey(Registry registry) {
        return registry.isDockerHub() ? "https://index.docker.io/v1/" : registry.host();
    }
}
