package dev.berth.spec;

import java.util.regex.Pattern;

/**
 * A repository name as the distribution-spec defines it: path components of lower-case alphanumerics
 * joined by {@code .}, {@code _}, {@code __} or runs of {@code -}, separated by single slashes, at most
 * 255 characters. The grammar alone keeps {@code ..}, empty components and percent-encoding out, so a
 * valid name can never escape a storage root.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    public static final int MAX_LENGTH = 255;
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    public RepositoryName {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches()) {
            throw ErrorCode.NAME_INVALID.exception("invalid repository name: " + Digest.abbreviate(value));
        }
    }

    public static RepositoryName parse(String value) {
        return new RepositoryName(value);
    }

    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && GRAMMAR.matcher(value).matches();
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
