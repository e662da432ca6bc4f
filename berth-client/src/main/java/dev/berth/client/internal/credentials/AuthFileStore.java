package dev.berth.client.internal.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.spec.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's {@code config.json} or podman's {@code auth.json} (one format): {@code auths} keyed by
 * registry, each with a base64 {@code auth} of {@code user:password} (or {@code username} and
 * {@code password}) and maybe an {@code identitytoken}; {@code credHelpers} naming a helper per
 * registry host; {@code credsStore} naming the helper for all others. A lookup matches keys as docker
 * does, by their host: {@code https://myreg:5000/v1/} is {@code myreg:5000}; Docker Hub answers to
 * {@code https://index.docker.io/v1/}, {@code index.docker.io}, {@code docker.io} and
 * {@code registry-1.docker.io}. Writing keeps every other field of the file, and writes it atomically
 * with mode 0600.
 */
public final class AuthFileStore implements CredentialStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> HUB_NAMES = List.of("index.docker.io", "docker.io", "registry-1.docker.io");

    private final Path file;
    private final Map<String, String> env;
    private final boolean dockerKeys;

    AuthFileStore(Path file, Map<String, String> env, boolean dockerKeys) {
        this.file = file;
        this.env = Map.copyOf(env);
        this.dockerKeys = dockerKeys;
    }

    public static AuthFileStore docker(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : home(env).resolve(".docker");
        return new AuthFileStore(base.resolve("config.json"), env, true);
    }

    public static AuthFileStore podman(Map<String, String> env) {
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return new AuthFileStore(Path.of(explicit), env, false);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path fallback = home(env).resolve(".config/containers/auth.json");
        if (runtime != null && !runtime.isEmpty()) {
            Path primary = Path.of(runtime, "containers", "auth.json");
            return new AuthFileStore(Files.exists(primary) || !Files.exists(fallback) ? primary : fallback, env, false);
        }
        return new AuthFileStore(fallback, env, false);
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<Credential> get(Registry registry) {
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helper(root, registry);
        if (helper.isPresent()) {
            return helper.get().get(key(registry));
        }
        JsonNode auths = root.path("auths");
        JsonNode exact = auths.get(key(registry));
        if (exact != null) {
            return decode(exact);
        }
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            if (matches(entry.getKey(), registry)) {
                Optional<Credential> found = decode(entry.getValue());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void store(Registry registry, Credential credential) {
        ObjectNode root = read();
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths") : root.putObject("auths");
        removeMatching(auths, registry);
        Optional<CredentialHelper> helper = helper(root, registry);
        ObjectNode entry = auths.putObject(key(registry));
        if (helper.isPresent()) {
            helper.get().store(key(registry), credential); // docker leaves an empty entry in auths
        } else {
            String user = credential.hasIdentityToken() && credential.password() == null ? "" : credential.username();
            if (credential.password() != null) {
                entry.put("auth", Base64.getEncoder().encodeToString((user + ":" + credential.password()).getBytes(StandardCharsets.UTF_8)));
            }
            if (credential.hasIdentityToken()) {
                entry.put("identitytoken", credential.identityToken());
            }
        }
        write(root);
    }

    @Override
    public void erase(Registry registry) {
        ObjectNode root = read();
        helper(root, registry).ifPresent(h -> h.erase(key(registry)));
        if (root.get("auths") instanceof ObjectNode auths && removeMatching(auths, registry)) {
            write(root);
        }
    }

    @Override
    public String description() {
        ObjectNode root = read();
        String store = root.path("credsStore").asText("");
        return file + (store.isEmpty() ? "" : " (credsStore " + store + ")");
    }

    private String key(Registry registry) {
        return dockerKeys ? CredentialStore.dockerKey(registry) : registry.host();
    }

    /** {@code credHelpers} for the registry's host, else {@code credsStore}. */
    private Optional<CredentialHelper> helper(ObjectNode root, Registry registry) {
        JsonNode helpers = root.path("credHelpers");
        for (Map.Entry<String, JsonNode> entry : helpers.properties()) {
            if (matches(entry.getKey(), registry) && !entry.getValue().asText("").isEmpty()) {
                return Optional.of(new CredentialHelper(entry.getValue().asText(), env));
            }
        }
        String store = root.path("credsStore").asText("");
        return store.isEmpty() ? Optional.empty() : Optional.of(new CredentialHelper(store, env));
    }

    /** docker's {@code ConvertToHostname}: scheme and path dropped. */
    static String hostOf(String key) {
        String host = key.strip();
        if (host.startsWith("http://")) {
            host = host.substring(7);
        } else if (host.startsWith("https://")) {
            host = host.substring(8);
        }
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    private static boolean matches(String key, Registry registry) {
        String host = hostOf(key).toLowerCase(java.util.Locale.ROOT);
        return registry.isDockerHub() ? HUB_NAMES.contains(host) : host.equals(registry.host().toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean removeMatching(ObjectNode auths, Registry registry) {
        List<String> keys = auths.properties().stream().map(Map.Entry::getKey).filter(key -> matches(key, registry)).toList();
        auths.remove(keys);
        return !keys.isEmpty();
    }

    private static Optional<Credential> decode(JsonNode entry) {
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException("invalid base64 in an auths entry"));
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new UncheckedIOException(new IOException("an auths entry's auth is not user:password"));
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        String identity = entry.path("identitytoken").asText("");
        if (!identity.isEmpty()) {
            return Optional.of(new Credential(user.isEmpty() ? Credential.TOKEN_USER : user,
                    password.isEmpty() ? null : password, identity));
        }
        return user.isEmpty() && password.isEmpty() ? Optional.empty() : Optional.of(Credential.basic(user, password));
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode node = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            if (!(node instanceof ObjectNode object)) {
                throw new IOException("not a JSON object");
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(ObjectNode root) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                }
                Files.write(temp, JSON.writeValueAsBytes(root));
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
    }
}
