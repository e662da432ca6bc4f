package dev.berth.cli;

import dev.berth.client.CredentialStore;
import dev.berth.spec.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth logout REGISTRY}: forgets the stored credentials. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Remove the credentials stored for a registry (Docker's config.json, or podman's auth.json).")
final class LogoutCommand extends ClientCommand {
    @Parameters(paramLabel = "REGISTRY", arity = "0..1", description = "host[:port]; default docker.io.")
    String registry = Registry.DOCKER_HUB;

    @Option(names = "--podman", description = "Remove them from podman's auth.json.")
    boolean podman;

    @Override
    int run() {
        Registry target = Registry.parse(registry);
        CredentialStore store = podman ? CredentialStore.podman(main().env) : CredentialStore.dockerConfig(main().env);
        boolean stored = store.get(target).isPresent();
        store.erase(target);
        if (!options.quiet) {
            out().println(stored ? "Removed login credentials for " + target + " from " + store.description()
                    : "Not logged in to " + target);
        }
        return 0;
    }
}
