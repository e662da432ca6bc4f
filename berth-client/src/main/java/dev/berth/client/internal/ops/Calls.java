package dev.berth.client.internal.ops;

import dev.berth.client.RegistryClientException;
import dev.berth.client.internal.http.ErrorResponses;
import dev.berth.client.internal.http.InterceptorChain;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.Registry;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * Sends requests through the registry stack and turns everything that is not an accepted status into
 * a {@link RegistryClientException}. Also builds the registry's URLs: always {@code https://} on the
 * API host; the scheme layer moves loopback and insecure registries to plain HTTP.
 */
public final class Calls {
    private final InterceptorChain chain;
    private final Clock clock;

    public Calls(InterceptorChain chain, Clock clock) {
        this.chain = chain;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** {@code https://<api host><path>}. */
    public static URI url(Registry registry, String path) {
        return URI.create("https://" + registry.apiHost() + path);
    }

    public static Request request(String method, Registry registry, String path, List<Scope> scopes) {
        return Request.of(method, url(registry, path), registry, scopes);
    }

    /** The response, if its status is one of {@code accepted}; the caller closes it. */
    public Response send(Request request, int... accepted) {
        Response response = exchange(request);
        for (int status : accepted) {
            if (response.status() == status) {
                return response;
            }
        }
        throw ErrorResponses.exception(response, clock);
    }

    /** The response whatever its status; I/O failures become {@link RegistryClientException}s. */
    public Response exchange(Request request) {
        try {
            return chain.execute(request);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new RegistryClientException(request.method() + " " + request.uri() + ": interrupted", e);
        } catch (IOException e) {
            throw new RegistryClientException(request.method() + " " + request.uri() + ": " + describe(e), e);
        }
    }

    /** Makes a {@link RegistryClientException} with the status and code of a failed response. */
    public RegistryClientException failure(Response response) {
        return ErrorResponses.exception(response, clock);
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message);
    }
}
