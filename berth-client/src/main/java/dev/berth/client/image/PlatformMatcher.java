package dev.berth.client.image;

import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.Platform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses manifests from an index by platform, the way containerd's {@code platforms.Only} does. Names
 * are normalised first ({@code x86_64} is {@code amd64}, {@code aarch64} is {@code arm64}, whose
 * {@code v8} variant is the default and so the same as none; {@code arm} defaults to {@code v7}); then
 * a platform also accepts what it can run, in order of preference: {@code amd64} accepts {@code 386},
 * {@code arm/v7} accepts {@code v6} and {@code v5}, {@code arm64} accepts {@code arm/v8} down to
 * {@code arm/v5}, {@code amd64/v3} accepts {@code v2} and {@code v1}.
 *
 * <pre>{@code
 * PlatformMatcher.parse("linux/arm64").select(index.manifests());   // the linux/arm64/v8 entry
 * PlatformMatcher.all();                                            // --all-platforms: keep the index
 * }</pre>
 */
public final class PlatformMatcher {
    private static final PlatformMatcher ALL = new PlatformMatcher(null, List.of());

    private final Platform platform;
    private final List<Platform> accepted;

    private PlatformMatcher(Platform platform, List<Platform> accepted) {
        this.platform = platform;
        this.accepted = accepted;
    }

    /** {@code os/arch[/variant]}, as {@code --platform} takes it. */
    public static PlatformMatcher parse(String text) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || List.of(parts).contains("")) {
            throw new IllegalArgumentException("platform must be os/arch[/variant]: " + text);
        }
        return of(new Platform(parts[1], parts[0], parts.length == 3 ? parts[2] : null, null, List.of()));
    }

    public static PlatformMatcher of(Platform platform) {
        Platform normal = normalize(platform);
        return new PlatformMatcher(normal, vector(normal).stream().map(PlatformMatcher::normalize).toList());
    }

    /** The platform this JVM runs on, as an image platform: Linux unless on Windows, the CPU's architecture. */
    public static PlatformMatcher host() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "windows" : "linux";
        return of(new Platform(System.getProperty("os.arch", "amd64"), os, null, null, List.of()));
    }

    /** Every platform: an index is copied whole. */
    public static PlatformMatcher all() {
        return ALL;
    }

    public boolean isAll() {
        return this == ALL;
    }

    /** The normalised platform asked for; empty for {@link #all()}. */
    public Optional<Platform> platform() {
        return Optional.ofNullable(platform).map(p -> p.variant().isEmpty()
                ? new Platform(p.architecture(), p.os(), null, p.osVersion(), p.osFeatures()) : p);
    }

    public boolean matches(Platform candidate) {
        return isAll() || candidate != null && rank(candidate) >= 0;
    }

    /** The index entry that suits best: the most preferred platform, the first such entry on a tie. */
    public Optional<Descriptor> select(List<Descriptor> manifests) {
        return manifests.stream()
                .filter(d -> matches(d.platform()))
                .min(Comparator.comparingInt(d -> isAll() ? 0 : rank(d.platform())));
    }

    @Override
    public String toString() {
        return isAll() ? "all platforms" : format(platform);
    }

    static String format(Platform p) {
        return p == null ? "unknown" : p.os() + "/" + p.architecture() + (p.variant() == null || p.variant().isEmpty() ? "" : "/" + p.variant());
    }

    private int rank(Platform candidate) {
        Platform normal = normalize(candidate);
        for (int i = 0; i < accepted.size(); i++) {
            Platform p = accepted.get(i);
            if (p.os().equals(normal.os()) && p.architecture().equals(normal.architecture())
                    && p.variant().equals(normal.variant())) {
                return i;
            }
        }
        return -1;
    }

    /** containerd's {@code Normalize}: lower case, canonical architecture names, default variants; never a null variant. */
    static Platform normalize(Platform p) {
        String os = p.os().toLowerCase(Locale.ROOT);
        os = os.equals("macos") ? "darwin" : os;
        String arch = p.architecture().toLowerCase(Locale.ROOT);
        String variant = p.variant() == null ? "" : p.variant().toLowerCase(Locale.ROOT);
        switch (arch) {
            case "i386" -> {
                arch = "386";
                variant = "";
            }
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                variant = variant.equals("v1") ? "" : variant;
            }
            case "aarch64", "arm64" -> {
                arch = "arm64";
                variant = variant.equals("8") || variant.equals("v8") ? "" : variant;
            }
            case "armhf" -> {
                arch = "arm";
                variant = "v7";
            }
            case "armel" -> {
                arch = "arm";
                variant = "v6";
            }
            case "arm" -> variant = switch (variant) {
                case "", "7" -> "v7";
                case "5", "6", "8" -> "v" + variant;
                default -> variant;
            };
            default -> {
            }
        }
        return new Platform(arch, os, variant, p.osVersion(), p.osFeatures());
    }

    /** containerd's {@code platformVector}: the platform, then what it can also run, best first. */
    private static List<Platform> vector(Platform p) {
        List<Platform> vector = new ArrayList<>();
        vector.add(p);
        switch (p.architecture()) {
            case "amd64" -> {
                int level = version(p.variant());
                for (int v = level - 1; level > 1 && v >= 1; v--) {
                    vector.add(with(p, "amd64", "v" + v));
                }
                vector.add(with(p, "386", ""));
            }
            case "arm" -> {
                int level = version(p.variant());
                for (int v = level - 1; level > 5 && v >= 5; v--) {
                    vector.add(with(p, "arm", "v" + v));
                }
            }
            case "arm64" -> {
                String variant = p.variant().isEmpty() ? "v8" : p.variant();
                int dot = variant.indexOf('.');
                int major = version(dot < 0 ? variant : variant.substring(0, dot));
                int minor = variant.length() == 4 && dot == 2 ? Math.max(version(variant.substring(3)), 0) : 0;
                if (major >= 8) {
                    if (major == 9) {
                        for (int m = minor - 1; m >= 0; m--) {
                            vector.add(with(p, "arm64", m == 0 ? "v9" : "v9." + m));
                        }
                        minor = Math.min(minor + 5, 9);
                        major = 8;
                        vector.add(with(p, "arm64", "v8." + minor));
                    }
                    for (int m = minor - 1; m >= 0; m--) {
                        vector.add(with(p, "arm64", m == 0 ? "v8" : "v8." + m));
                    }
                }
                String arm = variant.startsWith("v8.") || variant.startsWith("v9.") ? "v8" : variant;
                vector.addAll(vector(with(p, "arm", arm)));
            }
            default -> {
            }
        }
        return List.copyOf(vector);
    }

    private static Platform with(Platform p, String arch, String variant) {
        return new Platform(arch, p.os(), variant, p.osVersion(), p.osFeatures());
    }

    private static int version(String variant) {
        try {
            return Integer.parseInt(variant.startsWith("v") ? variant.substring(1) : variant);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
