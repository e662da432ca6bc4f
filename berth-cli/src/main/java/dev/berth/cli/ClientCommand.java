package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.client.RegistryClient;
import dev.berth.client.RegistryClientException;
import dev.berth.spec.Reference;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The frame of every client command: the shared options, the client built from them, standard output
 * and error as picocli holds them, and {@link Failures} turning whatever {@link #run()} throws into one
 * line and an exit status.
 */
abstract class ClientCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    private RegistryClient client;

    /** Does the work; returns the exit status (0 on success). */
    abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            int status = run();
            out().flush();
            return status;
        } catch (Exception e) {
            out().flush();
            Failures.Failure failure = Failures.of(e);
            err().println("berth: " + failure.message());
            return failure.status();
        } finally {
            err().flush();
        }
    }

    Main main() {
        return (Main) spec.root().userObject();
    }

    RegistryClient client() {
        if (client == null) {
            client = options.client(main());
        }
        return client;
    }

    /**
     * A HEAD that found nothing carries no error code (a HEAD answer has no body); the GET that follows
     * it here fails with the registry's code, {@code MANIFEST_UNKNOWN} or {@code NAME_UNKNOWN}, for the
     * message. Any other failure is returned as it is.
     */
    RegistryClientException withErrorCode(RegistryClientException headFailure, Reference ref) {
        if (headFailure.status() != 404 || headFailure.errorCode().isPresent()) {
            return headFailure;
        }
        try {
            client().fetchManifest(ref);
        } catch (RegistryClientException getFailure) {
            return getFailure.errorCode().isPresent() ? getFailure : headFailure;
        }
        return headFailure;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(Object value) throws java.io.IOException {
        out().println(JSON.writeValueAsString(value));
    }

    /** Whether progress may be drawn on standard error. */
    boolean showProgress() {
        return main().terminal && !options.quiet;
    }
}
