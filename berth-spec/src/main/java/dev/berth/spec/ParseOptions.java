package dev.berth.spec;

import java.util.Objects;

/**
 * How {@link Reference#parse(String, ParseOptions)} and {@link Repository#parse(String, ParseOptions)}
 * fill in what a reference leaves out. {@link #DOCKER} is what Docker does: registry {@code docker.io},
 * tag {@code latest}. {@link #strict()} fills in nothing: the registry and a tag or digest must be
 * written out, as ggcr's {@code name.StrictValidation} asks.
 *
 * <pre>{@code
 * Reference.parse("alpine", ParseOptions.DOCKER);                                  // docker.io/library/alpine:latest
 * Reference.parse("team/app", ParseOptions.DOCKER.withDefaultRegistry("ghcr.io")); // ghcr.io/team/app:latest
 * Reference.parse("alpine", ParseOptions.DOCKER.strict());                         // IllegalArgumentException
 * }</pre>
 *
 * @param defaultRegistry the registry of a reference whose first component is no host
 * @param defaultTag the tag of a reference with neither tag nor digest
 * @param requireExplicit whether a missing registry or identifier is an error instead
 */
public record ParseOptions(Registry defaultRegistry, Tag defaultTag, boolean requireExplicit) {
    public static final ParseOptions DOCKER = new ParseOptions(Registry.dockerHub(), new Tag("latest"), false);

    public ParseOptions {
        Objects.requireNonNull(defaultRegistry, "defaultRegistry");
        Objects.requireNonNull(defaultTag, "defaultTag");
    }

    public ParseOptions withDefaultRegistry(String registry) {
        return new ParseOptions(Registry.parse(registry), defaultTag, requireExplicit);
    }

    public ParseOptions withDefaultTag(String tag) {
        return new ParseOptions(defaultRegistry, Tag.parse(tag), requireExplicit);
    }

    /** These options, but nothing is defaulted. */
    public ParseOptions strict() {
        return new ParseOptions(defaultRegistry, defaultTag, true);
    }
}
