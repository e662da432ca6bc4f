package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void carriesStatusMessageAndDetail() {
        RegistryException e = ErrorCode.MANIFEST_TOO_BIG.exception("5 MiB");
        assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_TOO_BIG);
        assertThat(e.code().httpStatus()).isEqualTo(413);
        assertThat(e.getMessage()).isEqualTo("manifest too big");
        assertThat(e.detail()).isEqualTo("5 MiB");
        assertThat(ErrorCode.BLOB_UNKNOWN.exception().detail()).isNull();
    }

    @Test
    void statusesFollowDistribution() {
        assertThat(ErrorCode.UNAUTHORIZED.httpStatus()).isEqualTo(401);
        assertThat(ErrorCode.MANIFEST_UNKNOWN.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.MANIFEST_INVALID.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.MANIFEST_UNVERIFIED.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.RANGE_INVALID.httpStatus()).isEqualTo(416);
        assertThat(ErrorCode.UNSUPPORTED.httpStatus()).isEqualTo(405);
    }
}
