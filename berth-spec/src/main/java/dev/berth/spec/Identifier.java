package dev.berth.spec;

/**
 * What follows a repository in a reference or in {@code /v2/<name>/manifests/<identifier>}: a
 * {@link Tag} or a {@link Digest}. Anything with a colon is read as a digest.
 */
public sealed interface Identifier permits Tag, Digest {

    static Identifier parse(String text) {
        return text != null && text.indexOf(':') >= 0 ? Digest.parse(text) : Tag.parse(text);
    }
}
