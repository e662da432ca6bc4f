package dev.berth.cli;

import dev.berth.client.image.PlatformMatcher;
import picocli.CommandLine.Option;

/** {@code --platform} and {@code --all-platforms}: what to take from a multi-platform index. */
final class PlatformOptions {
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "From a multi-platform image, take this platform's image (default: this machine's).")
    String platform;

    @Option(names = {"-a", "--all-platforms"}, description = "Take a multi-platform image whole: the index and every image in it.")
    boolean all;

    /** The matcher asked for, else {@code fallback}. */
    PlatformMatcher matcher(PlatformMatcher fallback) {
        if (all && platform != null) {
            throw Failures.usage("--platform and --all-platforms exclude each other");
        }
        if (all) {
            return PlatformMatcher.all();
        }
        return platform != null ? PlatformMatcher.parse(platform) : fallback;
    }
}
