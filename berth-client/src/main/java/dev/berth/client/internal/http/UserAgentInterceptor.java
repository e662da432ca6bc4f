package dev.berth.client.internal.http;

import java.io.IOException;

/** Sets {@code User-Agent} on every request that has none. */
public record UserAgentInterceptor(String userAgent) implements Interceptor {

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        return chain.proceed(request.hasHeader("User-Agent") ? request : request.withHeader("User-Agent", userAgent));
    }
}
