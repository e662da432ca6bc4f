package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/vnd.oci.image.manifest.v1+json | application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.manifest.v1+json; charset=utf-8 | application/vnd.oci.image.manifest.v1+json",
        "' Application/JSON ;charset=UTF-8' | application/json",
        "application/octet-stream; | application/octet-stream",
        "'' | ''",
        "; charset=utf-8 | ''",
    })
    void stripsParametersAndCase(String header, String essence) {
        assertThat(MediaTypes.essence(header)).isEqualTo(essence);
    }

    @Test
    void keepsNull() {
        assertThat(MediaTypes.essence(null)).isNull();
    }

    @Test
    void knowsIndexes() {
        assertThat(MediaTypes.isIndex(MediaTypes.OCI_INDEX)).isTrue();
        assertThat(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST_LIST)).isTrue();
        assertThat(MediaTypes.isIndex(MediaTypes.OCI_MANIFEST)).isFalse();
        assertThat(MediaTypes.isIndex(null)).isFalse();
    }
}
