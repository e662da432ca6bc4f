package dev.berth.client.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The testkit fixtures (/work/shared/testkit/make-fixtures.sh) and the real tools tests compare with.
 * Missing ones skip the test, loudly: a line on stderr and the skip reason in the report.
 */
final class Fixtures {
    static final Path ROOT = Path.of(System.getenv().getOrDefault("FIXTURES", "/var/tmp/berth-fixtures"));

    private Fixtures() {
    }

    static Path require(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.exists(path)) {
            String reason = "SKIPPED: testkit fixture " + path + " is missing; build it with "
                    + "/work/shared/testkit/make-fixtures.sh " + ROOT;
            System.err.println(reason);
            Assumptions.abort(reason);
        }
        return path;
    }

    static void requireCommand(String command) {
        if (!hasCommand(command)) {
            String reason = "SKIPPED: " + command + " is not installed (apt-get install -y " + command + ")";
            System.err.println(reason);
            Assumptions.abort(reason);
        }
    }

    static boolean hasCommand(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command; its output, or an assertion error with it when it fails. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(output);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        String text = output.toString(StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + text);
        }
        return text;
    }
}
