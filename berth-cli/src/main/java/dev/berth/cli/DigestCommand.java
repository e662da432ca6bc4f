package dev.berth.cli;

import dev.berth.client.RegistryClientException;
import dev.berth.spec.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth digest REF}: the manifest digest, for scripts that pin images. */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = {"Print the digest of the manifest a reference names.",
                "For a multi-platform image, the index's own digest.",
                "Uses a HEAD, which rate-limited registries do not count as a pull.",
                "Example: ref=\"app@$(berth digest registry.example/app:1.2)\""})
final class DigestCommand extends ClientCommand {
    @Parameters(paramLabel = "REF", description = "Image reference.")
    String ref;

    @Override
    int run() {
        Reference reference = Reference.parse(ref);
        try {
            out().println(client().headManifest(reference).digest());
        } catch (RegistryClientException e) {
            throw withErrorCode(e, reference);
        }
        return 0;
    }
}
