package dev.berth.server.it.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * htpasswd files as operators make them: with Apache's {@code htpasswd -Bb} when it is installed, else
 * with a {@code $2y$} hash from the bcrypt library berth itself uses.
 */
final class Htpasswd {
    private static final Path TOOL = Path.of("/usr/bin/htpasswd");

    private Htpasswd() {
    }

    static boolean toolInstalled() {
        return Files.isExecutable(TOOL);
    }

    /** Adds (or replaces) {@code user} with a bcrypt hash of {@code password}, creating the file if needed. */
    static void add(Path file, String user, String password) {
        if (toolInstalled()) {
            run(Files.exists(file) ? "-Bb" : "-Bbc", file, user, password);
        } else {
            String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(5, password.toCharArray());
            append(file, user + ":" + hash + "\n");
        }
    }

    /** Adds {@code user} with an MD5 ({@code $apr1$}) hash, which berth must refuse. */
    static void addMd5(Path file, String user, String password) {
        if (toolInstalled()) {
            run("-mb", file, user, password);
        } else {
            append(file, user + ":$apr1$Ipq0Qr4a$0kMwn1G2bTgkC3kW1C5VZ/\n");
        }
    }

    private static void run(String flags, Path file, String user, String password) {
        try {
            Process process = new ProcessBuilder(TOOL.toString(), flags, file.toString(), user, password)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("htpasswd " + flags + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
