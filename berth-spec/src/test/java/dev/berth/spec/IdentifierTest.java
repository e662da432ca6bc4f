package dev.berth.spec;

import static dev.berth.spec.Errors.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifierTest {

    @Test
    void readsTagsAndDigests() {
        assertThat(Identifier.parse("latest")).isEqualTo(Tag.parse("latest"));
        assertThat(Identifier.parse(DigestTest.EMPTY_SHA256)).isEqualTo(Digest.parse(DigestTest.EMPTY_SHA256));
    }

    @Test
    void dispatchesExhaustively() {
        String kind = switch (Identifier.parse("v1")) {
            case Tag tag -> "tag " + tag;
            case Digest digest -> "digest " + digest;
        };
        assertThat(kind).isEqualTo("tag v1");
    }

    @Test
    void anythingWithAColonIsADigest() {
        assertThat(codeOf(() -> Identifier.parse("sha256:nothex"))).isEqualTo(ErrorCode.DIGEST_INVALID);
        assertThat(codeOf(() -> Identifier.parse("a:b"))).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void rejectsBadTags() {
        assertThat(codeOf(() -> Identifier.parse("bad/tag"))).isEqualTo(ErrorCode.TAG_INVALID);
        assertThat(codeOf(() -> Identifier.parse(""))).isEqualTo(ErrorCode.TAG_INVALID);
        assertThat(codeOf(() -> Identifier.parse(null))).isEqualTo(ErrorCode.TAG_INVALID);
    }
}
