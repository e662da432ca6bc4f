package dev.berth.client.internal.http;

import dev.berth.client.RegistryClientException;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Follows redirects (blob GETs are often sent to object storage), at most {@code maxHops}. It sits
 * outside the auth layer, so a redirected request is judged afresh: credentials for the registry are
 * added only when it still goes to the registry's host, and the scheme layer refuses a downgrade to
 * plain HTTP. A 303, or a 301/302 after a POST, becomes a GET without body; 307 and 308 keep both.
 */
public final class RedirectInterceptor implements Interceptor {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private final int maxHops;

    public RedirectInterceptor(int maxHops) {
        this.maxHops = maxHops;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        for (int hop = 0; ; hop++) {
            Response response = chain.proceed(request);
            String location = response.header("Location").orElse(null);
            if (!REDIRECTS.contains(response.status()) || location == null) {
                return response;
            }
            if (hop >= maxHops) {
                response.close();
                throw new RegistryClientException("too many redirects (" + maxHops + ") from " + chain.request().uri());
            }
            URI next;
            try {
                next = request.uri().resolve(location);
            } catch (IllegalArgumentException e) {
                return response;
            }
            response.close();
            boolean toGet = response.status() == 303 && !request.method().equals("HEAD")
                    || (response.status() == 301 || response.status() == 302) && request.method().equals("POST");
            if (toGet) {
                request = request.withMethod("GET", Body.NONE).withoutHeader("Content-Type");
            } else if (!request.body().replayable()) {
                throw new RegistryClientException("cannot follow a " + response.status() + " redirect of "
                        + request.method() + " " + request.uri() + ": its body cannot be sent again");
            }
            request = request.withUri(next);
        }
    }
}
