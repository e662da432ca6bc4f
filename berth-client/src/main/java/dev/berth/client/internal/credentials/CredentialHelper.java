package dev.berth.client.internal.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.Credential;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker-credential-<name>} program, spoken to as docker-credential-helpers' protocol says:
 * {@code get} and {@code erase} read the server URL on stdin; {@code get} prints
 * {@code {"ServerURL","Username","Secret"}}; {@code store} reads that JSON. A user name of
 * {@code <token>} marks the secret as an identity token. "Not found" is exit status 1 with
 * {@code credentials not found in native keychain}. The program is looked up on the {@code PATH} of
 * the environment given, and runs with that environment.
 */
public final class CredentialHelper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;
    private static final int MAX_OUTPUT = 1024 * 1024;

    private final String name;
    private final Map<String, String> env;

    public CredentialHelper(String name, Map<String, String> env) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("invalid credential helper name: " + name);
        }
        this.name = name;
        this.env = env;
    }

    public String program() {
        return "docker-credential-" + name;
    }

    public Optional<Credential> get(String serverUrl) {
        Result result = run("get", serverUrl + "\n");
        if (result.status != 0) {
            if (result.stdout.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
                return Optional.empty();
            }
            throw failure("get", result);
        }
        try {
            JsonNode answer = JSON.readTree(result.stdout);
            String user = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(user.equals(Credential.TOKEN_USER) || user.isEmpty()
                    ? Credential.identityToken(user, secret) : Credential.basic(user, secret));
        } catch (IOException e) {
            throw new UncheckedIOException(program() + " get printed no valid JSON", e);
        }
    }

    public void store(String serverUrl, Credential credential) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("ServerURL", serverUrl);
        entry.put("Username", credential.hasIdentityToken() ? Credential.TOKEN_USER : credential.username());
        entry.put("Secret", credential.hasIdentityToken() ? credential.identityToken() : credential.password());
        try {
            Result result = run("store", JSON.writeValueAsString(entry));
            if (result.status != 0) {
                throw failure("store", result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void erase(String serverUrl) {
        Result result = run("erase", serverUrl + "\n");
        if (result.status != 0 && !result.stdout.toLowerCase(java.util.Locale.ROOT).contains("not found")) {
            throw failure("erase", result);
        }
    }

    private record Result(int status, String stdout, String stderr) {
    }

    private Result run(String action, String input) {
        Path executable = locate().orElseThrow(() -> new UncheckedIOException(new IOException(
                program() + " not found on PATH")));
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), action);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException brokenPipe) {
                // the helper may not read its input; its exit status tells
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new UncheckedIOException(new IOException(program() + " " + action + " did not finish in " + TIMEOUT_SECONDS + " s"));
            }
            return new Result(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8).strip(),
                    new String(err.join(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while running " + program()));
        }
    }

    private Optional<Path> locate() {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program());
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] read(InputStream in) {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_OUTPUT);
            in.transferTo(OutputStream.nullOutputStream());
            return bytes;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private UncheckedIOException failure(String action, Result result) {
        String said = !result.stdout.isEmpty() ? result.stdout : result.stderr;
        String line = said.lines().findFirst().orElse("");
        return new UncheckedIOException(new IOException(program() + " " + action + " failed (exit " + result.status + ")"
                + (line.isEmpty() ? "" : ": " + (line.length() > 200 ? line.substring(0, 200) : line))));
    }
}
