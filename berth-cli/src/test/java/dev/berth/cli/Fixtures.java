package dev.berth.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The testkit's image fixtures under {@code /var/tmp/berth-fixtures} ({@code -Dberth.fixtures=DIR} to
 * move them), and skopeo. A test that needs what is missing is skipped, and says so on stdout and stderr.
 */
final class Fixtures {
    static final Path ROOT = Path.of(System.getProperty("berth.fixtures", "/var/tmp/berth-fixtures"));
    static final String BUSYBOX_MULTI_INDEX = "sha256:b45d6c615656a0f27aef9990da8af6e1ef453a03a29d0dccfac54493f7030d1c";
    static final String BUSYBOX_AMD64 = "sha256:36a3d2b61f24a9e7cd5e0c96dc451e83a9388d8a0078197cecc0d508a6db497c";
    static final String BUSYBOX_ARM64 = "sha256:2e7cc2a9bca675e3e00376e9e3be1a82caee038462d87b8b238f5bee45e3150a";
    static final String DEBIAN = "sha256:a5b917972a1f84115abb0265018cd1c3ded3afe2aa303efc3bc5627878f4342d";
    static final String BUSYBOX_V2S1 = "sha256:bde53dc2edf5897222b8867bf6799b54e57f75a9b1a54e2fca2eb1eba7880bb2";

    private Fixtures() {
    }

    /** {@code ROOT/relative}, or the test is skipped loudly. */
    static Path require(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.exists(path)) {
            skip("fixture " + path + " missing (the registry testkit's fixtures)");
        }
        return path;
    }

    static Path skopeo() {
        Path skopeo = Path.of("/usr/bin/skopeo");
        if (!Files.isExecutable(skopeo)) {
            skip("skopeo not installed (apt-get install skopeo); berth was NOT compared with it");
        }
        return skopeo;
    }

    /** Runs skopeo; fails the test unless it exits 0. */
    static String skopeo(String... args) {
        String[] command = Stream.concat(Stream.of(skopeo().toString()), Stream.of(args)).toArray(String[]::new);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("skopeo " + String.join(" ", args) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void skip(String why) {
        String message = "SKIPPED: " + why;
        System.out.println(message);
        System.err.println(message);
        Assumptions.abort(message);
    }

    /** Every file under {@code dir}, by relative path, with its bytes. */
    static Map<String, byte[]> files(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
