package dev.berth.cli;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.spec.Registry;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth login REGISTRY}: checks the credentials against the registry ({@code GET /v2/}, answering
 * its challenge, tokens included) and only then stores them, as {@code docker login} does.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Check credentials with a registry, then store them (Docker's config.json or podman's auth.json).",
                "Docker's is in $DOCKER_CONFIG, else ~/.docker; its credHelpers or credsStore are used when configured.",
                "podman's is $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json.",
                "Example: printf '%%s\\n' \"$TOKEN\" | berth login ghcr.io -u me --password-stdin"})
final class LoginCommand extends ClientCommand {
    private static final int MAX_PASSWORD = 64 * 1024;

    @Parameters(paramLabel = "REGISTRY", arity = "0..1", description = "host[:port]; default docker.io.")
    String registry = Registry.DOCKER_HUB;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name (asked for on a terminal if missing).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password (or token) from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--podman", description = "Store in podman's auth.json ($REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers).")
    boolean podman;

    @Override
    int run() throws IOException {
        Registry target = Registry.parse(registry);
        Credential credential = options.creds != null ? ClientOptions.parseCreds(options.creds) : ask(target);
        options.builder(main()).credentials(CredentialStore.of(Map.of(target, credential))).build().ping(target);
        CredentialStore store = podman ? CredentialStore.podman(main().env) : CredentialStore.dockerConfig(main().env);
        store.store(target, credential);
        if (!options.quiet) {
            out().println("Login Succeeded (" + target + ", stored in " + store.description() + ")");
        }
        return 0;
    }

    private Credential ask(Registry target) throws IOException {
        Console console = main().terminal ? System.console() : null;
        String user = username;
        if (user == null) {
            if (console == null || passwordStdin) {
                throw Failures.usage("no user name: give -u USER");
            }
            user = console.readLine("Username for %s: ", target);
        }
        String password;
        if (passwordStdin) {
            password = firstLine(main().stdin);
        } else if (console != null) {
            char[] typed = console.readPassword("Password for %s@%s: ", user, target);
            password = typed == null ? "" : new String(typed);
        } else {
            throw Failures.usage("no password: use --password-stdin (standard input is not a terminal)");
        }
        if (user == null || user.isEmpty() || password.isEmpty()) {
            throw Failures.usage("empty user name or password");
        }
        return Credential.basic(user, password);
    }

    /** The first line of {@code in}, without its line end. */
    static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (line.size() == MAX_PASSWORD) {
                throw Failures.usage("the first line of standard input is too long for a password");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
