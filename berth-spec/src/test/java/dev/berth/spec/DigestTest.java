package dev.berth.spec;

import static dev.berth.spec.Errors.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
    static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String EMPTY_SHA512 = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    @Test
    void parsesSha256() {
        Digest digest = Digest.parse(EMPTY_SHA256);
        assertThat(digest.algorithm()).isEqualTo("sha256");
        assertThat(digest.hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(digest).hasToString(EMPTY_SHA256);
    }

    @Test
    void parsesSha512() {
        Digest digest = Digest.parse(EMPTY_SHA512);
        assertThat(digest.algorithm()).isEqualTo("sha512");
        assertThat(digest).hasToString(EMPTY_SHA512);
    }

    @Test
    void computesAndRecomputes() {
        assertThat(Digest.sha256(new byte[0])).isEqualTo(Digest.parse(EMPTY_SHA256));
        assertThat(Digest.parse(EMPTY_SHA512).recompute(new byte[0])).isEqualTo(Digest.parse(EMPTY_SHA512));
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.of(Digest.newSha256().digest(hello))).isEqualTo(Digest.sha256(hello));
        assertThat(Digest.parse(EMPTY_SHA256).recompute(hello)).isEqualTo(Digest.sha256(hello));
    }

    @Test
    void ordersByText() {
        assertThat(Digest.parse(EMPTY_SHA256)).isLessThan(Digest.parse(EMPTY_SHA512));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", // upper-case hex
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", // 63 characters
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555", // 65 characters
        "sha256:totallywrong",
        "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", // sha256 length
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha384:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", // no algorithm
        "sha256:",
        ":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        " sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/x",
    })
    void rejects(String text) {
        assertThat(codeOf(() -> Digest.parse(text))).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void rejectsOverlongInput() {
        assertThat(codeOf(() -> Digest.parse("sha256:" + "a".repeat(300)))).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void constructorValidatesToo() {
        assertThat(codeOf(() -> new Digest("sha256", "abc"))).isEqualTo(ErrorCode.DIGEST_INVALID);
        assertThat(codeOf(() -> new Digest(null, "abc"))).isEqualTo(ErrorCode.DIGEST_INVALID);
        assertThat(codeOf(() -> new Digest("sha256", null))).isEqualTo(ErrorCode.DIGEST_INVALID);
    }
}
