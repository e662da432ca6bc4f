package dev.berth.server.it.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 written byte for byte on a socket, for what {@code java.net.http} will not send: raw
 * {@code ..} segments, header blocks past the server's limit.
 */
final class RawSocket {

    /** A response: status, header lines in order (names lower-cased), body. */
    record Response(int status, List<String[]> headers, byte[] body) {
        List<String> all(String name) {
            return headers.stream().filter(h -> h[0].equals(name.toLowerCase(Locale.ROOT))).map(h -> h[1]).toList();
        }

        String header(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? null : values.getFirst();
        }

        String text() {
            return new String(body, UTF_8);
        }
    }

    private RawSocket() {
    }

    /** {@code method target} with extra header lines (each ending in CRLF); adds Host and Connection: close. */
    static Response send(String baseUrl, String method, String target, String headerLines) {
        URI base = URI.create(baseUrl);
        String head = method + " " + target + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Connection: close\r\n"
                + headerLines
                + "\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(head.getBytes(ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), method.equals("HEAD"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        List<String[]> headers = new ArrayList<>();
        String line;
        String length = null;
        while (!(line = line(in)).isEmpty()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.add(new String[] {name, value});
            if (name.equals("content-length")) {
                length = value;
            }
        }
        byte[] body = head ? new byte[0] : length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
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
