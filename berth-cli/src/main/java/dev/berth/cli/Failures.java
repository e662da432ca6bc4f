package dev.berth.cli;

import dev.berth.client.RegistryClientException;
import dev.berth.client.image.ImageNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Set;

/**
 * The one translation from what went wrong to what the user sees: a single line {@code berth: <reason>}
 * on standard error and an exit status (see {@link Main}'s footer). A registry's error code stays in
 * the line ({@code 404 MANIFEST_UNKNOWN: …}, {@code 403 DENIED: …}), and a rate limit says when it resets.
 */
final class Failures {
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int REFUSED = 4;
    static final int RATE_LIMITED = 5;
    private static final Set<String> NOT_FOUND_CODES = Set.of("MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "NAME_UNKNOWN");
    private static final Set<String> REFUSED_CODES = Set.of("UNAUTHORIZED", "DENIED");

    /** A failure the command itself detects, with its status. */
    static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        CommandException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    record Failure(int status, String message) {
        Failure {
            message = message == null ? "unknown error" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        }
    }

    private Failures() {
    }

    static CommandException usage(String message) {
        return new CommandException(USAGE, message);
    }

    static CommandException failure(String message) {
        return new CommandException(FAILURE, message);
    }

    static CommandException notFound(String message) {
        return new CommandException(NOT_FOUND, message);
    }

    static Failure of(Throwable t) {
        RegistryClientException registry = registryCause(t);
        if (registry != null) {
            return new Failure(status(registry), describe(registry));
        }
        return switch (t) {
            case CommandException c -> new Failure(c.status, c.getMessage());
            case ImageNotFoundException e -> new Failure(NOT_FOUND, e.getMessage());
            case IllegalArgumentException e -> new Failure(USAGE, e.getMessage());
            case UncheckedIOException e -> of(e.getCause());
            case NoSuchFileException e -> new Failure(FAILURE, e.getFile() + ": " + (e.getReason() == null ? "no such file or directory" : e.getReason()));
            case AccessDeniedException e -> new Failure(FAILURE, e.getFile() + ": permission denied");
            case FileAlreadyExistsException e -> new Failure(FAILURE, e.getFile() + ": already exists");
            case IOException e -> new Failure(FAILURE, e.getMessage() == null ? e.toString() : e.getMessage());
            case UnsupportedOperationException e -> new Failure(FAILURE, e.getMessage());
            default -> new Failure(FAILURE, t.toString());
        };
    }

    /** The registry's answer behind a failure, if one is: thrown directly, or the cause of a failed read. */
    private static RegistryClientException registryCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RegistryClientException e) {
                return e;
            }
        }
        return null;
    }

    static int status(RegistryClientException e) {
        String code = e.errorCode().orElse("");
        if (e.status() == 429 || code.equals("TOOMANYREQUESTS")) {
            return RATE_LIMITED;
        }
        if (e.status() == 401 || e.status() == 403 || REFUSED_CODES.contains(code)) {
            return REFUSED;
        }
        if (e.status() == 404 || NOT_FOUND_CODES.contains(code)) {
            return NOT_FOUND;
        }
        return FAILURE;
    }

    /** The client's one-line message, its {@code (retry after T)} said as {@code (resets at T)}. */
    static String describe(RegistryClientException e) {
        String message = e.getMessage();
        if (e.retryAt().isEmpty()) {
            return message;
        }
        Instant at = e.retryAt().get();
        String retry = "(retry after " + at + ")";
        return message.contains(retry) ? message.replace(retry, "(resets at " + at + ")") : message + " (resets at " + at + ")";
    }
}
