package dev.berth.client.internal.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last link of a chain in layer tests: records each request and answers from a script. This tests
 * one layer's logic in isolation; the integration tests run the whole stack against real registries.
 */
public final class Scripted implements Interceptor {
    /** Answers one request. */
    @FunctionalInterface
    public interface Answer {
        Response answer(Request request) throws IOException;
    }

    public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Answer answer;

    public Scripted(Answer answer) {
        this.answer = answer;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        requests.add(chain.request());
        return answer.answer(chain.request());
    }

    public static Response response(Request request, int status, String body, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            map.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
        }
        return new Response(request, status, HttpHeaders.of(map, (a, b) -> true),
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    public static InterceptorChain chain(Interceptor... interceptors) {
        return new InterceptorChain(List.of(interceptors));
    }
}
