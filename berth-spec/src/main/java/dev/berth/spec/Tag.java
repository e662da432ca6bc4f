package dev.berth.spec;

import java.util.regex.Pattern;

/** A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
public record Tag(String value) implements Identifier, Comparable<Tag> {
    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw ErrorCode.TAG_INVALID.exception("invalid tag: " + Digest.abbreviate(value));
        }
    }

    public static Tag parse(String value) {
        return new Tag(value);
    }

    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    @Override
    public int compareTo(Tag o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
