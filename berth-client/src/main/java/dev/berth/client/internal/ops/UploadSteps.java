package dev.berth.client.internal.ops;

import dev.berth.client.RegistryClientException;
import dev.berth.client.internal.http.Body;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.Digest;
import dev.berth.spec.Repository;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.auth.Scope;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The three steps of a blob upload, after jib's {@code Initializer}, {@code Writer} and {@code Committer}.
 * Each says its method, URL, accepted statuses and result.
 *
 * <pre>
 * Start   POST  /v2/&lt;name&gt;/blobs/uploads/[?mount=&lt;digest&gt;&amp;from=&lt;source&gt;]  201 → Mounted, 202 → Session(Location)
 * Patch   PATCH &lt;location&gt;  body, Content-Range for a chunk              202 → next Location
 * Commit  PUT   &lt;location&gt;?digest=&lt;digest&gt;  [last chunk or whole blob]  201 → Docker-Content-Digest
 * </pre>
 */
public final class UploadSteps {
    private UploadSteps() {
    }

    /** What starting an upload gave. */
    public sealed interface Started permits Mounted, Session {
    }

    /** The registry mounted the blob from the source repository: done. */
    public record Mounted() implements Started {
    }

    /** An upload session at {@code location}. */
    public record Session(URI location) implements Started {
    }

    /** POST, asking for a cross-repository mount when {@code from} is given. */
    public record Start(Repository target, Digest digest, Optional<Repository> from) {
        public Request request() {
            String path = RegistryPath.uploads(target.name());
            List<Scope> scopes = List.of(target.scope("pull", "push"));
            if (from.isPresent()) {
                path += "?mount=" + encode(digest.toString()) + "&from=" + encode(from.get().name().value());
                scopes = List.of(target.scope("pull", "push"), from.get().scope("pull"));
            }
            return Calls.request("POST", target.registry(), path, scopes).withBody(Body.NONE);
        }

        public Started result(Calls calls) {
            try (Response response = calls.send(request(), 201, 202)) {
                return response.status() == 201 ? new Mounted() : new Session(UploadSteps.location(response));
            }
        }
    }

    /**
     * PATCH a body to the session: the whole blob in one request, or one chunk of a chunked upload
     * ({@code Content-Range: first-last}).
     */
    public record Patch(Repository target, URI location, Body body, long offset, boolean chunked) {
        public Request request() {
            Request request = Request.of("PATCH", location, target.registry(), List.of(target.scope("pull", "push")))
                    .withBody(body).withHeader("Content-Type", "application/octet-stream");
            return chunked ? request.withHeader("Content-Range", offset + "-" + (offset + body.length() - 1)) : request;
        }

        public URI result(Calls calls) {
            try (Response response = calls.send(request(), 202)) {
                return UploadSteps.location(response);
            }
        }
    }

    /** PUT {@code ?digest=}, with the last bytes (monolithic upload) or without a body. */
    public record Commit(Repository target, URI location, Digest digest, Body body) {
        public Request request() {
            String separator = location.getRawQuery() == null ? "?" : "&";
            URI uri = URI.create(location + separator + "digest=" + encode(digest.toString()));
            Request request = Request.of("PUT", uri, target.registry(), List.of(target.scope("pull", "push"))).withBody(body);
            return body.length() > 0 ? request.withHeader("Content-Type", "application/octet-stream") : request;
        }

        public Digest result(Calls calls) {
            try (Response response = calls.send(request(), 201)) {
                Optional<String> stored = response.header("Docker-Content-Digest");
                if (stored.isPresent() && !stored.get().strip().equals(digest.toString())) {
                    throw new RegistryClientException("PUT " + location + ": the registry stored the blob as "
                            + stored.get() + ", expected " + digest);
                }
                return digest;
            }
        }
    }

    /** The session's {@code Location}, resolved against the URL the request really went to. */
    static URI location(Response response) {
        String location = response.header("Location").orElseThrow(() -> new RegistryClientException(
                response.request().method() + " " + response.request().uri() + ": " + response.status()
                        + " without a Location header"));
        try {
            return response.request().uri().resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new RegistryClientException("invalid upload Location: " + location);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
