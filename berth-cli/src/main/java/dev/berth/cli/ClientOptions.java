package dev.berth.cli;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every registry command shares, and the one place a {@link RegistryClient} is built from
 * them: credentials from {@code --creds}, else Docker's {@code config.json} then podman's
 * {@code auth.json}; plain HTTP for {@code --insecure-registry} hosts (loopback always); the
 * {@code berth trace} listener when tracing.
 */
final class ClientOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP to this registry (repeatable). Loopback registries always may.")
    List<String> insecure = new ArrayList<>();

    @Option(names = "--creds", paramLabel = "USER:PASS",
            description = "Credentials for every registry this command talks to, instead of the stored ones.")
    String creds;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no summary; errors are still reported.")
    boolean quiet;

    /** A builder with everything but the credentials. */
    RegistryClient.Builder builder(Main main) {
        RegistryClient.Builder builder = RegistryClient.builder().userAgent("berth/0.1").listener(main.listener);
        insecure.forEach(builder::insecureRegistry);
        if (main.revealSecrets) {
            builder.revealSecrets();
        }
        return builder;
    }

    /** The client with the credentials to use. */
    RegistryClient client(Main main) {
        return builder(main).credentials(credentials(main)).build();
    }

    CredentialStore credentials(Main main) {
        if (creds != null) {
            Credential credential = parseCreds(creds);
            return registry -> Optional.of(credential);
        }
        return CredentialStore.firstOf(List.of(CredentialStore.dockerConfig(main.env), CredentialStore.podman(main.env)));
    }

    static Credential parseCreds(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--creds must be USER:PASS");
        }
        return Credential.basic(text.substring(0, colon), text.substring(colon + 1));
    }
}
