package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.FetchedManifest;
import dev.berth.client.image.PlatformMatcher;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Reference;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.DockerManifest;
import dev.berth.spec.manifest.DockerManifestList;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.ImageManifest;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Platform;
import dev.berth.spec.manifest.Schema1Manifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth inspect REF}: a summary of an image, or its manifest or config as the registry has them. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show an image without pulling it: a JSON summary, its manifest or its config.",
                "By default a JSON summary, as skopeo inspect gives it:",
                "Name, Tag, Digest (of what REF names, an index included), MediaType, the index's Manifests,",
                "and Created, Architecture, Os, Variant, Labels, Env and Layers of the chosen platform's image.",
                "--raw prints the manifest's exact bytes (an index as it is, unless --platform), --config the config's."})
final class InspectCommand extends ClientCommand {
    private static final int MAX_CONFIG = 16 * 1024 * 1024;
    private static final int MAX_DEPTH = 4;

    @Parameters(paramLabel = "REF", description = "Image reference.")
    String ref;

    @Option(names = "--raw", description = "Print the manifest exactly as the registry serves it.")
    boolean raw;

    @Option(names = "--config", description = "Print the image's config blob exactly as stored.")
    boolean config;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "In a multi-platform image, the platform to show (default: this machine's).")
    String platform;

    @Override
    int run() throws Exception {
        if (raw && config) {
            throw Failures.usage("--raw and --config exclude each other");
        }
        Reference reference = Reference.parse(ref);
        FetchedManifest root = client().fetchManifest(reference);
        if (raw && platform == null) {
            printExactly(root.content());
            return 0;
        }
        PlatformMatcher matcher = platform == null ? PlatformMatcher.host() : PlatformMatcher.parse(platform);
        FetchedManifest image = choose(reference, root, matcher, 0);
        if (raw) {
            printExactly(image.content());
        } else if (config) {
            printExactly(configOf(reference, image).orElseThrow(
                    () -> Failures.failure(image.mediaType() + " has no config blob")));
        } else {
            printJson(summary(reference, root, image));
        }
        return 0;
    }

    private FetchedManifest choose(Reference reference, FetchedManifest manifest, PlatformMatcher matcher, int depth) {
        List<Descriptor> entries = switch (manifest.manifest()) {
            case ImageIndex index -> index.manifests();
            case DockerManifestList list -> list.manifests();
            case ImageManifest m -> null;
            case DockerManifest m -> null;
            case Schema1Manifest m -> null;
        };
        if (entries == null) {
            return manifest;
        }
        if (depth >= MAX_DEPTH) {
            throw Failures.failure("indexes nested more than " + MAX_DEPTH + " deep");
        }
        Descriptor chosen = matcher.select(entries.stream().filter(d -> d.platform() != null).toList())
                .or(() -> entries.stream().filter(d -> MediaTypes.isIndex(d.mediaType()) && d.platform() == null).findFirst())
                .orElseThrow(() -> Failures.notFound("no image for " + matcher + " in " + manifest.digest() + "; it has "
                        + String.join(", ", entries.stream().map(d -> format(d.platform())).toList())));
        return choose(reference, client().fetchManifest(reference.withDigest(chosen.digest())), matcher, depth + 1);
    }

    private Optional<byte[]> configOf(Reference reference, FetchedManifest image) {
        Descriptor descriptor = switch (image.manifest()) {
            case ImageManifest m -> m.config();
            case DockerManifest m -> m.config();
            case ImageIndex i -> null;
            case DockerManifestList l -> null;
            case Schema1Manifest s -> null;
        };
        if (descriptor == null) {
            return Optional.empty();
        }
        if (descriptor.size() > MAX_CONFIG) {
            throw Failures.failure("config " + descriptor.digest() + " is " + descriptor.size() + " bytes, more than inspect reads");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) descriptor.size());
        client().fetchBlob(reference.repository(), descriptor.digest(), limited(out));
        return Optional.of(out.toByteArray());
    }

    private ObjectNode summary(Reference reference, FetchedManifest root, FetchedManifest image) throws IOException {
        ObjectNode summary = JSON.createObjectNode();
        summary.put("Name", reference.repository().toString());
        switch (reference) {
            case Reference.ByTag byTag -> summary.put("Tag", byTag.tag().value());
            case Reference.ByDigest byDigest -> byDigest.tag().ifPresent(t -> summary.put("Tag", t.value()));
        }
        summary.put("Digest", root.digest().toString());
        summary.put("MediaType", root.mediaType());
        if (image != root) {
            ArrayNode manifests = summary.putArray("Manifests");
            for (Descriptor entry : root.manifest().children()) {
                manifests.addObject().put("Digest", entry.digest().toString()).put("MediaType", entry.mediaType())
                        .put("Platform", format(entry.platform()));
            }
            summary.put("ImageDigest", image.digest().toString());
            summary.put("ImageMediaType", image.mediaType());
        }
        JsonNode config = configOf(reference, image).map(this::readJson)
                .orElseGet(() -> image.manifest() instanceof Schema1Manifest s && !s.history().isEmpty()
                        ? readJson(s.history().getFirst().getBytes(StandardCharsets.UTF_8)) : JSON.createObjectNode());
        summary.set("Created", config.get("created"));
        summary.set("Architecture", config.get("architecture"));
        summary.set("Os", config.get("os"));
        if (config.hasNonNull("variant")) {
            summary.set("Variant", config.get("variant"));
        }
        summary.set("Labels", config.path("config").get("Labels"));
        summary.set("Env", config.path("config").get("Env"));
        ArrayNode layers = summary.putArray("Layers");
        switch (image.manifest()) {
            case ImageManifest m -> m.layers().forEach(l -> layers.add(l.digest().toString()));
            case DockerManifest m -> m.layers().forEach(l -> layers.add(l.digest().toString()));
            case Schema1Manifest s -> s.fsLayers().reversed().forEach(l -> layers.add(l.toString()));
            case ImageIndex i -> { }
            case DockerManifestList l -> { }
        }
        return summary;
    }

    private JsonNode readJson(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw Failures.failure("the image config is not JSON: " + e.getMessage());
        }
    }

    static String format(Platform p) {
        if (p == null) {
            return "unknown";
        }
        return p.os() + "/" + p.architecture() + (p.variant() == null || p.variant().isEmpty() ? "" : "/" + p.variant());
    }

    private void printExactly(byte[] bytes) {
        out().print(new String(bytes, StandardCharsets.UTF_8));
        out().flush();
    }

    private static OutputStream limited(ByteArrayOutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (out.size() + len > MAX_CONFIG) {
                    throw new IOException("config larger than " + MAX_CONFIG + " bytes");
                }
                out.write(b, off, len);
            }
        };
    }
}
