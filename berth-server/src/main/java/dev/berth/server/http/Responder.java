package dev.berth.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** Writes a {@link Reply} on the request's event loop. */
final class Responder {
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final String API_VERSION = "registry/2.0";

    private Responder() {
    }

    static void send(HttpServerRequest request, Reply reply) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status());
        response.putHeader(API_VERSION_HEADER, API_VERSION);
        reply.headers().forEach(response::putHeader);
        boolean head = request.method() == HttpMethod.HEAD;
        long length = reply.body().length();
        if (reply.status() != 204 && reply.status() != 304) {
            response.putHeader("Content-Length", Long.toString(length));
        }
        if (head || length == 0) {
            response.end();
            return;
        }
        switch (reply.body()) {
            case Reply.Empty e -> response.end();
            case Reply.Bytes b -> response.end(Buffer.buffer(b.content()));
            case Reply.FileRegion f -> response.sendFile(f.path().toString(), f.offset(), f.length())
                    .onFailure(failure -> fileFailed(request, failure));
        }
    }

    /**
     * The file could not be sent: answered with an error while nothing was written yet (the file could
     * not be opened), else the connection is cut, so the client never takes a short body for a whole one.
     */
    private static void fileFailed(HttpServerRequest request, Throwable failure) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.headers().clear();
        send(request, ErrorRenderer.render(failure, Dispatcher.line(request)));
    }
}
