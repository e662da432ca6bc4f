package dev.berth.cli;

import dev.berth.client.image.PlatformMatcher;
import dev.berth.spec.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth push SRC REF}: a local image into a registry. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Upload an image from an OCI layout, oci-archive or docker-archive to a registry.",
                "Blobs the registry has are skipped; manifests keep their bytes, so digests survive",
                "(a docker-archive's layers are compressed first, which gives a new manifest).",
                "A multi-platform layout is pushed whole unless --platform picks one.",
                "Example: berth push oci:./alpine:3.20 registry.example/alpine:3.20"})
final class PushCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "SRC",
            description = "oci:DIR[:NAME], oci-archive:FILE[:NAME], docker-archive:FILE[:REF], or a path whose format is detected.")
    String source;

    @Parameters(index = "1", paramLabel = "REF", description = "Where to push: a registry reference.")
    String ref;

    @Mixin
    PlatformOptions platforms;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    int run() throws Exception {
        ImageLocation from = ImageLocation.parseLocal(source);
        ImageLocation to = new ImageLocation.RegistryImage(Reference.parse(ref));
        Transfer.Result result = Transfer.run(this, from, to, platforms.matcher(PlatformMatcher.all()), "pushing");
        Transfer.print(this, result, json, "pushed");
        return 0;
    }
}
