package dev.berth.cli;

import dev.berth.client.image.PlatformMatcher;
import dev.berth.spec.Reference;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth pull REF}: an image from a registry into an OCI layout, an oci-archive or a docker-archive. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download an image from a registry into an OCI layout, oci-archive or docker-archive.",
                "Blobs are streamed and verified; those already in the layout are skipped.",
                "Example: berth pull alpine:3.20 --output alpine"})
final class PullCommand extends ClientCommand {
    enum Format { oci, oci_archive, docker_archive }

    @Parameters(paramLabel = "REF", description = "Image reference, Docker style (alpine, ghcr.io/org/app:1, host:5000/app@sha256:…).")
    String ref;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR|FILE",
            description = "Where to write (default: the repository's last name component, plus .tar for archives).")
    Path output;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "oci (a directory, default), oci-archive or docker-archive (single platform only).")
    Format format = Format.oci;

    @Mixin
    PlatformOptions platforms;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    int run() throws Exception {
        Reference reference = Reference.parse(ref);
        String name = reference.name().value().substring(reference.name().value().lastIndexOf('/') + 1);
        Path target = output != null ? output : Path.of(format == Format.oci ? name : name + ".tar");
        Optional<String> tag = reference instanceof Reference.ByTag byTag ? Optional.of(byTag.tag().value()) : Optional.empty();
        ImageLocation to = switch (format) {
            case oci -> new ImageLocation.Layout(target, tag);
            case oci_archive -> new ImageLocation.OciArchiveFile(target, tag);
            case docker_archive -> new ImageLocation.DockerArchiveFile(target, tag.map(t -> reference.repository().familiar() + ":" + t));
        };
        Transfer.Result result = Transfer.run(this, new ImageLocation.RegistryImage(reference), to,
                platforms.matcher(PlatformMatcher.host()), "pulling");
        Transfer.print(this, result, json, "pulled");
        return 0;
    }

    /** {@code oci}, {@code oci-archive}, {@code docker-archive}. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value) {
                case "oci" -> Format.oci;
                case "oci-archive" -> Format.oci_archive;
                case "docker-archive" -> Format.docker_archive;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "unknown format '" + value + "': oci, oci-archive or docker-archive");
            };
        }
    }
}
