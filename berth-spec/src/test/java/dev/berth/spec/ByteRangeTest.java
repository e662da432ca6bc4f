package dev.berth.spec;

import static dev.berth.spec.Errors.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    @ParameterizedTest(name = "{0} of {1} bytes is {2}-{3}")
    @CsvSource({
        "bytes=0-99, 1000, 0, 99",
        "bytes=100-, 1000, 100, 999",
        "bytes=-100, 1000, 900, 999",
        "bytes=-100, 50, 0, 49",
        "bytes=0-9999, 1000, 0, 999",
        "bytes=999-999, 1000, 999, 999",
        "bytes=0-0, 1, 0, 0",
        "' bytes=5-9 ', 10, 5, 9",
    })
    void resolvesRequests(String header, long size, long first, long last) {
        assertThat(ByteRange.ofRequest(header, size)).isEqualTo(new ByteRange(first, last));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=5000-", "bytes=5-3", "bytes=-0", "bytes=-",
        "bytes=0-1,3-4", "bytes=0-1, 3-4", "items=0-1", "bytes 0-1", "garbage", "", "bytes=a-b", "bytes=1-2-3",
        "bytes=9999999999999999999-", "bytes=99999999999999999999-"})
    void rejectsRequests(String header) {
        assertThat(codeOf(() -> ByteRange.ofRequest(header, 1000))).isEqualTo(ErrorCode.RANGE_INVALID);
    }

    @Test
    void nothingIsSatisfiableInAnEmptyBlob() {
        assertThat(codeOf(() -> ByteRange.ofRequest("bytes=0-", 0))).isEqualTo(ErrorCode.RANGE_INVALID);
        assertThat(codeOf(() -> ByteRange.ofRequest("bytes=-5", 0))).isEqualTo(ErrorCode.RANGE_INVALID);
    }

    @ParameterizedTest(name = "{0} is {1}-{2}")
    @CsvSource({
        "0-99, 0, 99",
        "bytes 0-99/*, 0, 99",
        "bytes 100-199/1000, 100, 199",
        "bytes=0-99, 0, 99",
        "5-5, 5, 5",
        "' 0-9 ', 0, 9",
    })
    void parsesChunks(String header, long first, long last) {
        assertThat(ByteRange.ofChunk(header)).isEqualTo(new ByteRange(first, last));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", "0-", "-5", "99-0", "bytes */1000", "0-99/", "a-b", "0-1,3-4",
        "99999999999999999999-1"})
    void rejectsChunks(String header) {
        assertThat(codeOf(() -> ByteRange.ofChunk(header))).isEqualTo(ErrorCode.RANGE_INVALID);
    }

    @Test
    void rendersContentRange() {
        ByteRange range = new ByteRange(0, 99);
        assertThat(range.length()).isEqualTo(100);
        assertThat(range.contentRange(1000)).isEqualTo("bytes 0-99/1000");
        assertThat(range).hasToString("0-99");
        assertThat(ByteRange.ofChunk(range.toString())).isEqualTo(range);
    }

    @Test
    void rejectsImpossibleRanges() {
        assertThat(codeOf(() -> new ByteRange(-1, 5))).isEqualTo(ErrorCode.RANGE_INVALID);
        assertThat(codeOf(() -> new ByteRange(5, 4))).isEqualTo(ErrorCode.RANGE_INVALID);
    }
}
