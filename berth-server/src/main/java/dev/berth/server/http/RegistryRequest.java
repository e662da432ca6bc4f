package dev.berth.server.http;

import dev.berth.server.auth.Grant;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.Identifier;
import dev.berth.spec.RepositoryName;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A request as handlers see it: parsed before they run, with the repository name already validated.
 * Path values are parsed into typed values on demand ({@link #digest()}, {@link #identifier()}), each
 * failing with the protocol's error code.
 */
public final class RegistryRequest {
    private final HttpMethod method;
    private final RepositoryName name;
    private final String last;
    private final MultiMap headers;
    private final MultiMap query;
    private final RequestBody body;
    private final Grant grant;
    private final InetAddress source;

    RegistryRequest(HttpMethod method, RepositoryName name, String last, MultiMap headers, MultiMap query,
            RequestBody body, Grant grant, InetAddress source) {
        this.method = method;
        this.name = name;
        this.last = last;
        this.headers = headers;
        this.query = query;
        this.body = body;
        this.grant = grant;
        this.source = source;
    }

    /** What the caller was granted; {@code null} outside the registry API. */
    public Grant grant() {
        return grant;
    }

    /** The client's address. */
    public InetAddress source() {
        return source;
    }

    public HttpMethod method() {
        return method;
    }

    /** The repository, for every endpoint under {@code /v2/<name>/}. */
    public RepositoryName name() {
        return name;
    }

    /** The path's last element as a digest ({@code /blobs/<digest>}, {@code /referrers/<digest>}). */
    public Digest digest() {
        return Digest.parse(last);
    }

    /** The path's last element as a tag or digest ({@code /manifests/<reference>}). */
    public Identifier identifier() {
        return Identifier.parse(last);
    }

    /** The path's last element verbatim (an upload id). */
    public String last() {
        return last;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** Every value of a header that may be repeated, such as {@code Accept}. */
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    /**
     * A query parameter that may appear at most once; a repeated one is {@code invalid}, since two
     * values leave no way to tell which the client meant.
     */
    public Optional<String> query(String name, ErrorCode invalid) {
        List<String> values = query.getAll(name);
        if (values.size() > 1) {
            throw invalid.exception("query parameter '" + name + "' given " + values.size() + " times");
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public boolean hasQuery(String name) {
        return query.contains(name);
    }

    /** Every value of a query parameter that may be repeated, such as {@code scope}. */
    public List<String> queryAll(String name) {
        return query.getAll(name);
    }

    /**
     * The next piece of the streamed body, or {@code null} at its end. A body cut short by the client
     * is {@code BLOB_UPLOAD_INVALID}: the client's fault, not the registry's.
     */
    public Buffer readBodyChunk() {
        try {
            return body.readChunk();
        } catch (IOException e) {
            throw ErrorCode.BLOB_UPLOAD_INVALID.exception("request body failed: " + e.getMessage());
        }
    }

    /** The whole body, which must not exceed {@code limit} bytes, else {@code tooBig} is raised. */
    public byte[] readBody(int limit, Supplier<? extends RuntimeException> tooBig) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        try {
            int n;
            while ((n = body.read(chunk)) >= 0) {
                if (out.size() + n > limit) {
                    throw tooBig.get();
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw ErrorCode.BLOB_UPLOAD_INVALID.exception("request body failed: " + e.getMessage());
        }
        return out.toByteArray();
    }
}
