package dev.berth.spec;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Docker's normalisation ({@code splitDockerDomain} + {@code ParseNormalizedNamed}), for {@link Reference}. */
final class ReferenceParser {
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");
    private static final int MAX_INPUT = 1024;

    private ReferenceParser() {
    }

    static Reference reference(String text, ParseOptions options) {
        check(text);
        int at = text.indexOf('@');
        String named = at < 0 ? text : text.substring(0, at);
        Optional<Digest> digest = Optional.empty();
        if (at >= 0) {
            try {
                digest = Optional.of(Digest.parse(text.substring(at + 1)));
            } catch (RegistryException e) {
                throw invalid("invalid digest in " + Digest.abbreviate(text));
            }
        }
        Split split = split(named, options);
        String remainder = split.remainder;
        Optional<Tag> tag = Optional.empty();
        int colon = remainder.indexOf(':');
        if (colon >= 0) {
            String value = remainder.substring(colon + 1);
            if (!Tag.isValid(value)) {
                throw invalid("invalid tag '" + Digest.abbreviate(value) + "' in " + Digest.abbreviate(text));
            }
            tag = Optional.of(new Tag(value));
            remainder = remainder.substring(0, colon);
        }
        Repository repository = repository(split.registry, remainder, text);
        if (digest.isPresent()) {
            return new Reference.ByDigest(repository, digest.get(), tag);
        }
        if (tag.isEmpty() && options.requireExplicit()) {
            throw invalid("a tag or digest is required (strict): " + Digest.abbreviate(text));
        }
        return new Reference.ByTag(repository, tag.orElse(options.defaultTag()));
    }

    static Repository repository(String text, ParseOptions options) {
        check(text);
        Split split = split(text, options);
        if (split.remainder.indexOf(':') >= 0 || text.indexOf('@') >= 0) {
            throw invalid("a repository takes no tag or digest: " + Digest.abbreviate(text));
        }
        return repository(split.registry, split.remainder, text);
    }

    private static void check(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("empty reference");
        }
        if (text.length() > MAX_INPUT) {
            throw invalid("reference longer than " + MAX_INPUT + " characters");
        }
        if (IMAGE_ID.matcher(text).matches()) {
            throw invalid("repository name (" + text + ") cannot be a 64-byte hexadecimal string");
        }
    }

    private record Split(Registry registry, String remainder) {
    }

    /** Docker's {@code splitDockerDomain}, with the defaults from {@code options}. */
    private static Split split(String name, ParseOptions options) {
        int slash = name.indexOf('/');
        String first = slash < 0 ? null : name.substring(0, slash);
        boolean isHost = first != null && (first.equals("localhost") || first.indexOf('.') >= 0 || first.indexOf(':') >= 0
                || !first.toLowerCase(Locale.ROOT).equals(first));
        if (!isHost) {
            if (options.requireExplicit()) {
                throw invalid("a registry is required (strict): " + Digest.abbreviate(name));
            }
            return new Split(options.defaultRegistry(), name);
        }
        try {
            return new Split(new Registry(first), name.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("invalid registry '" + Digest.abbreviate(first) + "'");
        }
    }

    private static Repository repository(Registry registry, String path, String text) {
        String full = registry.isDockerHub() && path.indexOf('/') < 0 ? "library/" + path : path;
        if (!full.toLowerCase(Locale.ROOT).equals(full)) {
            throw invalid("repository name (" + Digest.abbreviate(path) + ") must be lowercase");
        }
        if (registry.host().length() + 1 + full.length() > Repository.MAX_LENGTH) {
            throw invalid("repository name must not be more than " + Repository.MAX_LENGTH + " characters: "
                    + Digest.abbreviate(text));
        }
        if (!RepositoryName.isValid(full)) {
            throw invalid("invalid repository name '" + Digest.abbreviate(path) + "' in " + Digest.abbreviate(text));
        }
        return new Repository(registry, new RepositoryName(full));
    }

    private static IllegalArgumentException invalid(String reason) {
        return new IllegalArgumentException("invalid reference format: " + reason);
    }
}
