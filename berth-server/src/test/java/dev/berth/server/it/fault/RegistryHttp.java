package dev.berth.server.it.fault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Queue;

/**
 * One client of a registry under test: its own {@link HttpClient} (its own connections), the push
 * steps as plain requests, and a shared queue where every 5xx response any client sees is recorded,
 * so a test can assert that none happened. Transport failures are thrown as {@link IOException}: the
 * crash test expects them once the server is killed, the concurrency test never does.
 */
final class RegistryHttp implements AutoCloseable {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;
    private final Queue<String> serverErrors;

    RegistryHttp(String base, Queue<String> serverErrors) {
        this.base = base;
        this.serverErrors = serverErrors;
    }

    HttpRequest.Builder request(String pathOrUrl) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<byte[]> send(HttpRequest.Builder builder) throws IOException {
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() >= 500) {
            serverErrors.add(request.method() + " " + request.uri() + " -> " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    HttpResponse<byte[]> get(String path) throws IOException {
        return send(request(path).GET());
    }

    /** {@code POST /v2/<repo>/blobs/uploads/}: opens a session (202 and a {@code Location}). */
    HttpResponse<byte[]> startUpload(String repository) throws IOException {
        return send(request("/v2/" + repository + "/blobs/uploads/").POST(BodyPublishers.noBody()));
    }

    /**
     * {@code PATCH} to an upload. {@code streamed} sends the body with chunked transfer encoding,
     * otherwise with a {@code Content-Length}; {@code contentRange} (e.g. {@code 0-99}) may be null.
     */
    HttpResponse<byte[]> patch(String location, byte[] data, boolean streamed, String contentRange) throws IOException {
        HttpRequest.BodyPublisher body = streamed
                ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))
                : BodyPublishers.ofByteArray(data);
        HttpRequest.Builder request = request(location).header("Content-Type", "application/octet-stream").method("PATCH", body);
        if (contentRange != null) {
            request.header("Content-Range", contentRange);
        }
        return send(request);
    }

    /** {@code PUT <location>?digest=} without a body: commits the upload. */
    HttpResponse<byte[]> commit(String location, String digest) throws IOException {
        return send(request(withQuery(location, "digest=" + digest)).PUT(BodyPublishers.noBody()));
    }

    /** A blob in one request: {@code POST ?digest=} with the body (201). */
    HttpResponse<byte[]> pushMonolithic(String repository, byte[] content) throws IOException {
        return send(request("/v2/" + repository + "/blobs/uploads/?digest=" + sha256(content))
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(content)));
    }

    /**
     * A blob by session: POST, one PATCH (streamed or not), PUT. Returns the PUT's response; a POST or
     * PATCH that is not 202 fails with an {@link AssertionError} naming it.
     */
    HttpResponse<byte[]> pushBlob(String repository, byte[] content, boolean streamed) throws IOException {
        String location = location(expect(202, startUpload(repository)));
        String patched = location(expect(202, patch(location, content, streamed, null)));
        return commit(patched, sha256(content));
    }

    HttpResponse<byte[]> putManifest(String repository, String reference, byte[] manifest) throws IOException {
        return send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", OCI_MANIFEST)
                .PUT(BodyPublishers.ofByteArray(manifest)));
    }

    static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> response) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + ": expected "
                    + status + ", got " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no Location in " + response));
    }

    static String withQuery(String url, String query) {
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    static String sha256(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(content));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OCI image manifest over a config and layers, each given as {@code digest} and {@code size}. */
    static byte[] imageManifest(Descriptor config, Descriptor... layers) {
        StringBuilder json = new StringBuilder()
                .append("{\"schemaVersion\":2,\"mediaType\":\"").append(OCI_MANIFEST).append("\",")
                .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"")
                .append(config.digest()).append("\",\"size\":").append(config.size()).append("},\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
                    .append(layers[i].digest()).append("\",\"size\":").append(layers[i].size()).append('}');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    record Descriptor(String digest, long size) {
        static Descriptor of(byte[] content) {
            return new Descriptor(sha256(content), content.length);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
