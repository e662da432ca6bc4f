package dev.berth.spec;

import static dev.berth.spec.Errors.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "busybox", "library/busybox", "a/b/c", "a.b", "a_b", "a__b", "a-b", "a---b",
        "a1/b2/c3", "my-org/my.repo_name/x-y"})
    void accepts(String name) {
        assertThat(RepositoryName.parse(name).value()).isEqualTo(name);
        assertThat(RepositoryName.parse(name)).hasToString(name);
        assertThat(RepositoryName.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"A", "Library/busybox", "..", ".", "a/../b", "a/./b", "a//b", "/a", "a/", "/", "a%2Fb",
        "a%2fb", "a._b", "a_.b", "a.-b", "a___b", "a..b", "-a", "a-", "_a", "a_", ".a", "a.", "a b", "a:b", "a@b",
        "a\\b", "ä"})
    void rejects(String name) {
        assertThat(codeOf(() -> RepositoryName.parse(name))).isEqualTo(ErrorCode.NAME_INVALID);
        assertThat(RepositoryName.isValid(name)).isFalse();
    }

    @Test
    void limitsLengthTo255() {
        String longest = "a".repeat(127) + "/" + "b".repeat(127);
        assertThat(longest).hasSize(255);
        assertThat(RepositoryName.isValid(longest)).isTrue();
        assertThat(RepositoryName.parse(longest).value()).isEqualTo(longest);

        String tooLong = longest + "c";
        assertThat(RepositoryName.isValid(tooLong)).isFalse();
        assertThat(codeOf(() -> RepositoryName.parse(tooLong))).isEqualTo(ErrorCode.NAME_INVALID);
    }

    @Test
    void ordersByValue() {
        assertThat(RepositoryName.parse("a/b")).isLessThan(RepositoryName.parse("b"));
        assertThat(RepositoryName.parse("a")).isEqualTo(new RepositoryName("a"));
    }
}
