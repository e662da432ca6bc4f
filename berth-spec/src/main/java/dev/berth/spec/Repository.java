package dev.berth.spec;

import dev.berth.spec.auth.Scope;
import java.util.Objects;

/**
 * A repository on a registry: {@code docker.io/library/alpine}, {@code localhost:5000/team/app}. The
 * {@link #name()} is the path the registry API and token scopes use ({@code library/alpine}).
 *
 * <pre>{@code
 * Repository repo = Repository.parse("alpine");
 * repo.registry().apiHost();  // "registry-1.docker.io"
 * repo.name();                // library/alpine
 * repo.familiar();            // "alpine"
 * repo.scope("pull");         // repository:library/alpine:pull
 * }</pre>
 */
public record Repository(Registry registry, RepositoryName name) {
    /** The longest {@code registry/name}, as Docker's {@code NameTotalLengthMax}. */
    public static final int MAX_LENGTH = 255;

    public Repository {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(name, "name");
        if (registry.host().length() + 1 + name.value().length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid reference format: repository name must not be more than "
                    + MAX_LENGTH + " characters: " + Digest.abbreviate(registry + "/" + name));
        }
    }

    /** Parses a repository with Docker's defaults; a tag or digest is an error. */
    public static Repository parse(String text) {
        return parse(text, ParseOptions.DOCKER);
    }

    /**
     * Parses a repository, normalised as {@link Reference#parse(String, ParseOptions)} does; a tag or
     * digest is an error.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static Repository parse(String text, ParseOptions options) {
        return ReferenceParser.repository(text, options);
    }

    /** The token scope for {@code actions} on this repository, e.g. {@code repository:library/alpine:pull,push}. */
    public Scope scope(String... actions) {
        return Scope.repository(name.value(), actions);
    }

    /**
     * The short form Docker shows: {@code docker.io/} and a lone {@code library/} dropped
     * ({@code alpine}, {@code user/app}); any other registry stays ({@code ghcr.io/a/b}).
     */
    public String familiar() {
        if (!registry.isDockerHub()) {
            return toString();
        }
        String path = name.value();
        if (path.startsWith("library/") && path.indexOf('/', "library/".length()) < 0) {
            return path.substring("library/".length());
        }
        return path;
    }

    /** The canonical form, {@code docker.io/library/alpine}. */
    @Override
    public String toString() {
        return registry + "/" + name;
    }
}
