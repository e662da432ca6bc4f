package dev.berth.cli;

import dev.berth.client.image.PlatformMatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth copy SRC DST}: registry to registry, or to and from local images. */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = {"Copy an image between registries (or to and from local layouts and archives).",
                "No daemon: blobs are streamed and verified, several at once; those already there are skipped,",
                "those in another repository of the same registry mounted. Manifests keep their bytes, so digests",
                "survive (an index's with --all-platforms, a signed schema 1 manifest's).",
                "Either side may also be oci:DIR[:NAME], oci-archive:FILE[:NAME] or docker-archive:FILE[:REF].",
                "Example: berth copy --all-platforms docker.io/library/busybox:1.36 registry.example/mirror/busybox:1.36"})
final class CopyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "SRC", description = "A registry reference ([docker://]REF) or a local location.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "A registry reference ([docker://]REF) or a local location.")
    String destination;

    @Mixin
    PlatformOptions platforms;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    int run() throws Exception {
        Transfer.Result result = Transfer.run(this, ImageLocation.parse(source), ImageLocation.parse(destination),
                platforms.matcher(PlatformMatcher.host()), "copying");
        Transfer.print(this, result, json, "copied");
        return 0;
    }
}
