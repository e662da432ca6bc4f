package dev.berth.spec.manifest;

import java.util.List;
import java.util.Objects;

/**
 * What an index entry runs on: the {@code platform} of an OCI index or Docker manifest-list entry.
 * {@code architecture} and {@code os} are required; {@code osFeatures} is never {@code null}.
 */
public record Platform(String architecture, String os, String variant, String osVersion, List<String> osFeatures) {

    public Platform {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(os, "os");
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
    }
}
