package dev.berth.spec;

import static dev.berth.spec.Errors.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.0.0", "1.0-rc_1", "_private", "UPPER", "a", "0", "a..b", "a--b"})
    void accepts(String tag) {
        assertThat(Tag.parse(tag)).hasToString(tag);
        assertThat(Tag.isValid(tag)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".hidden", "-dash", "a:b", "a/b", "a b", "a@b", "ä", "a+b"})
    void rejects(String tag) {
        assertThat(codeOf(() -> Tag.parse(tag))).isEqualTo(ErrorCode.TAG_INVALID);
        assertThat(Tag.isValid(tag)).isFalse();
    }

    @Test
    void limitsLengthTo128() {
        String longest = "a".repeat(128);
        assertThat(Tag.parse(longest).value()).isEqualTo(longest);
        assertThat(codeOf(() -> Tag.parse(longest + "a"))).isEqualTo(ErrorCode.TAG_INVALID);
        assertThat(Tag.isValid(longest + "a")).isFalse();
    }

    @Test
    void ordersByValue() {
        assertThat(Tag.parse("a")).isLessThan(Tag.parse("b"));
    }
}
