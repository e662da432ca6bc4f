package dev.berth.server.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests {@code java.net.http} refuses to send: malformed
 * percent-encoding, raw {@code ..} segments, broken headers. The request goes out byte for byte as
 * given (with {@code Connection: close} added); the response is read until the server closes.
 */
final class RawHttp {

    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, UTF_8);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target} with the given header lines and body; adds Host and Connection, and
     * in a token-auth run an Authorization header for the target's repository.
     */
    static Response send(RunningRegistry registry, String method, String target, String headerLines, byte[] body) {
        URI base = URI.create(registry.url());
        String head = method + " " + target + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Connection: close\r\n"
                + registry.authorization(target).map(value -> "Authorization: " + value + "\r\n").orElse("")
                + headerLines
                + "\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(head.getBytes(ISO_8859_1));
            if (body != null) {
                socket.getOutputStream().write(body);
            }
            socket.getOutputStream().flush();
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Like {@link #send}, but a server that closes the connection without answering (what Vert.x does
     * when a body's framing breaks after the request was dispatched) gives an empty result.
     */
    static Optional<Response> sendOrClosed(RunningRegistry registry, String method, String target, String headerLines,
            byte[] body) {
        try {
            return Optional.of(send(registry, method, target, headerLines, body));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof SocketException || String.valueOf(e.getCause().getMessage()).startsWith("connection closed")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static Response get(RunningRegistry registry, String target) {
        return send(registry, "GET", target, "", null);
    }

    private static Response parse(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = line(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        byte[] body;
        String length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = in.readAllBytes();
        }
        return new Response(Integer.parseInt(parts[1]), headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                out.write(c);
            }
        }
        if (c < 0 && out.size() == 0) {
            throw new IOException("connection closed before a response line");
        }
        return out.toString(ISO_8859_1);
    }
}
