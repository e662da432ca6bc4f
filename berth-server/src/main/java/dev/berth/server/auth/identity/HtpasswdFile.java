package dev.berth.server.auth.identity;

import dev.berth.server.auth.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from an Apache htpasswd file, as {@code htpasswd -B} writes it (one {@code name:hash} a line;
 * blank lines and lines starting with {@code #} are skipped):
 *
 * <pre>
 * alice:$2y$10$Sdigta9aLYtgPYVv3ydaBeuf6lDSc3jG3Eur2tVMMYnCGo0fb1uKe
 * </pre>
 *
 * <p>Only bcrypt entries ({@code $2y$}, {@code $2a$}, {@code $2b$}) are accepted. Any other kind (MD5
 * {@code $apr1$}, {@code {SHA}}, crypt, plain text) is refused with a warning naming the line and the
 * user, never the hash, and that user cannot log in. When a name appears twice, the first line counts,
 * as in Apache. Passwords longer than 72 bytes are truncated to 72, as {@code htpasswd} did when it
 * hashed them.
 *
 * <p>The file is stat'ed on every call and read again when its modification time, size or identity
 * (an editor's atomic rename) changed, so edits count from the next request on. A missing file
 * means no users. Users from the file are never administrators and belong to no groups: name them in
 * the {@link RulesPolicy} rules' {@code users}.
 *
 * <p>Successful checks are cached as in {@link UserStore}: a remembered match counts while the user's
 * line in the file still holds the same hash.
 */
public final class HtpasswdFile implements UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdFile.class);
    private static final int CACHE_CAPACITY = 10_000;

    private final Path file;
    private final PasswordCheck check = new PasswordCheck(CACHE_CAPACITY);
    private final Object reloading = new Object();
    private volatile Snapshot snapshot = new Snapshot(null, Map.of());

    /** Reads {@code file} now, and again whenever it changes; it need not exist yet. */
    public HtpasswdFile(Path file) {
        this.file = Objects.requireNonNull(file);
        current();
    }

    /**
     * The entries of one version of the file: a user name → its bcrypt hash, or {@code null} for a
     * user whose hash kind is refused.
     */
    private record Snapshot(FileStamp stamp, Map<String, String> hashes) {
    }

    @Override
    public Optional<Principal.User> authenticate(String name, String password) {
        String hash = name == null ? null : current().hashes().get(name);
        return check.matches(name, password, hash) ? Optional.of(user(name)) : Optional.empty();
    }

    @Override
    public Optional<Principal.User> lookup(String name) {
        return name != null && current().hashes().get(name) != null ? Optional.of(user(name)) : Optional.empty();
    }

    private static Principal.User user(String name) {
        return new Principal.User(name, Set.of(), false);
    }

    private Snapshot current() {
        FileStamp stamp = stamp();
        Snapshot seen = snapshot;
        if (stamp.equals(seen.stamp())) {
            return seen;
        }
        synchronized (reloading) {
            if (!stamp.equals(snapshot.stamp())) {
                snapshot = load(stamp);
            }
            return snapshot;
        }
    }

    private FileStamp stamp() {
        try {
            return FileStamp.of(file);
        } catch (IOException e) {
            LOG.error("cannot read htpasswd file {}: {}", file, e.toString());
            return FileStamp.MISSING;
        }
    }

    private Snapshot load(FileStamp stamp) {
        if (stamp.equals(FileStamp.MISSING)) {
            LOG.warn("htpasswd file {} is missing: no user can log in with it", file);
            return new Snapshot(stamp, Map.of());
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("cannot read htpasswd file {}: {}", file, e.toString());
            return new Snapshot(FileStamp.MISSING, Map.of()); // read again on the next call
        }
        Map<String, String> hashes = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                LOG.warn("htpasswd file {} line {}: not name:hash, skipped", file, i + 1);
                continue;
            }
            String name = line.substring(0, colon);
            String rest = line.substring(colon + 1);
            int end = rest.indexOf(':'); // tools may append ":comment"; no bcrypt hash holds a colon
            String hash = (end < 0 ? rest : rest.substring(0, end)).strip();
            if (hashes.containsKey(name)) {
                LOG.warn("htpasswd file {} line {}: user {} appears again, this line is ignored", file, i + 1, name);
                continue;
            }
            if (PasswordCheck.isBcrypt(hash)) {
                hashes.put(name, hash);
            } else {
                LOG.warn("htpasswd file {} line {}: user {} has a {} password hash, which is refused;"
                        + " only bcrypt ($2y$, htpasswd -B) is accepted", file, i + 1, name, kind(hash));
                hashes.put(name, null);
            }
        }
        LOG.info("htpasswd file {}: {} users", file, hashes.values().stream().filter(Objects::nonNull).count());
        return new Snapshot(stamp, Collections.unmodifiableMap(hashes));
    }

    /** The kind of a refused hash, for the warning: never any of the hash itself. */
    private static String kind(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "MD5 ($apr1$)";
        } else if (hash.startsWith("{SHA}")) {
            return "SHA-1 ({SHA})";
        } else if (hash.startsWith("$1$")) {
            return "MD5-crypt ($1$)";
        } else if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "SHA-crypt";
        } else if (hash.startsWith("$")) {
            return "unknown";
        } else {
            return "crypt or plain-text";
        }
    }
}
