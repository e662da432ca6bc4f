package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code berth} in this process, as {@code Main.commandLine(new Main(…)).execute(args)}, with standard
 * output and error captured, and an environment of its own: {@code DOCKER_CONFIG}, {@code HOME} and
 * podman's {@code REGISTRY_AUTH_FILE} under {@code home}, so no test reads or writes the real ones.
 */
final class Cli {
    final Path home;
    final Map<String, String> env = new HashMap<>();
    /** Whether berth believes standard error is a terminal (and so draws progress). */
    boolean terminal;

    record Result(int status, String out, String err) {
        /** Standard error, which for a failure must be one line. */
        String errLine() {
            return err.strip();
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    Cli(Path home) {
        this.home = home;
        try {
            Files.createDirectories(home.resolve("docker"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("HOME", home.toString());
        env.put("DOCKER_CONFIG", home.resolve("docker").toString());
        env.put("REGISTRY_AUTH_FILE", home.resolve("containers-auth.json").toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    Path dockerConfig() {
        return home.resolve("docker/config.json");
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new Main(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    /** {@code result}, once asserted to have exited 0 and, as berth does off a terminal, written nothing on stderr. */
    static Result ok(Result result) {
        assertThat(result.status()).as(result.toString()).isZero();
        assertThat(result.err()).as("nothing on stderr when not a terminal").isEmpty();
        return result;
    }
}
