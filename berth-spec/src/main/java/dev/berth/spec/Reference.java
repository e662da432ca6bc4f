package dev.berth.spec;

import dev.berth.spec.auth.Scope;
import java.util.Objects;
import java.util.Optional;

/**
 * An image reference, normalised exactly as Docker does ({@code distribution/reference}'s
 * {@code ParseNormalizedNamed}): {@code Registry → Repository → Tag | Digest}.
 *
 * <ul>
 *   <li>The first path component is a registry only if it contains {@code .} or {@code :}, is
 *       {@code localhost}, or has upper-case letters (a repository cannot); otherwise the registry is
 *       the default, {@code docker.io}.
 *   <li>On {@code docker.io} a one-component name gets {@code library/}; {@code index.docker.io} and
 *       {@code registry-1.docker.io} are {@code docker.io}.
 *   <li>A digest wins over a tag: {@code name:tag@digest} is a {@link ByDigest} that remembers the tag
 *       for display only. Without either, the default tag, {@code latest}.
 *   <li>The repository must be lower case; {@code registry/name} is at most 255 characters; a bare
 *       64-hex-digit string is refused (it would be mistaken for an image id).
 * </ul>
 *
 * <pre>{@code
 * Reference ref = Reference.parse("alpine");
 * ref.toString();          // "docker.io/library/alpine:latest"
 * ref.registry().apiHost(); // "registry-1.docker.io"
 * ref.familiar();          // "alpine:latest"
 * ref.scope("pull");       // repository:library/alpine:pull
 * switch (ref) {
 *     case Reference.ByTag t -> … t.tag() …;
 *     case Reference.ByDigest d -> … d.digest() …;
 * }
 * }</pre>
 */
public sealed interface Reference permits Reference.ByTag, Reference.ByDigest {

    Repository repository();

    /** What to ask the registry for: the tag, or the digest when there is one. */
    Identifier identifier();

    /** Parses with Docker's defaults, {@link ParseOptions#DOCKER}. */
    static Reference parse(String text) {
        return parse(text, ParseOptions.DOCKER);
    }

    /**
     * Parses and normalises a reference.
     *
     * @throws IllegalArgumentException with a one-line reason ({@code invalid reference format: …})
     */
    static Reference parse(String text, ParseOptions options) {
        return ReferenceParser.reference(text, options);
    }

    default Registry registry() {
        return repository().registry();
    }

    /** The repository path the API and scopes use, {@code library/alpine}. */
    default RepositoryName name() {
        return repository().name();
    }

    /** Where the registry's API answers: {@code registry-1.docker.io} for Docker Hub. */
    default String apiHost() {
        return registry().apiHost();
    }

    /** The token scope for {@code actions} on this reference's repository. */
    default Scope scope(String... actions) {
        return repository().scope(actions);
    }

    /** This reference pinned to {@code digest}, keeping any tag for display. */
    ByDigest withDigest(Digest digest);

    /** The short form Docker shows: {@code alpine:latest}, {@code user/app:1}, {@code ghcr.io/a/b@sha256:…}. */
    String familiar();

    /** By tag: {@code docker.io/library/alpine:3.20}. */
    record ByTag(Repository repository, Tag tag) implements Reference {
        public ByTag {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(tag, "tag");
        }

        @Override
        public Identifier identifier() {
            return tag;
        }

        @Override
        public ByDigest withDigest(Digest digest) {
            return new ByDigest(repository, digest, Optional.of(tag));
        }

        @Override
        public String familiar() {
            return repository.familiar() + ":" + tag;
        }

        @Override
        public String toString() {
            return repository + ":" + tag;
        }
    }

    /**
     * By digest: {@code docker.io/library/alpine@sha256:…}. {@code tag} is the tag written next to the
     * digest ({@code alpine:3@sha256:…}), kept for display; the digest alone decides what is fetched.
     */
    record ByDigest(Repository repository, Digest digest, Optional<Tag> tag) implements Reference {
        public ByDigest {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(digest, "digest");
            tag = tag == null ? Optional.empty() : tag;
        }

        public ByDigest(Repository repository, Digest digest) {
            this(repository, digest, Optional.empty());
        }

        @Override
        public Identifier identifier() {
            return digest;
        }

        @Override
        public ByDigest withDigest(Digest other) {
            return new ByDigest(repository, other, tag);
        }

        @Override
        public String familiar() {
            return repository.familiar() + tag.map(t -> ":" + t).orElse("") + "@" + digest;
        }

        @Override
        public String toString() {
            return repository + tag.map(t -> ":" + t).orElse("") + "@" + digest;
        }
    }
}
