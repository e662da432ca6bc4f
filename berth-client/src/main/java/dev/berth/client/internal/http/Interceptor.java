package dev.berth.client.internal.http;

import java.io.IOException;

/**
 * One layer of the client's HTTP stack, as okhttp's {@code Interceptor}: it may change the request,
 * call {@link Chain#proceed} zero or more times, and change or replace the response. The JDK's
 * {@code HttpClient} has no such hook, so berth defines it; {@link HttpStack#build} puts the layers in
 * their one order.
 *
 * <pre>{@code
 * Interceptor userAgent = chain -> chain.proceed(chain.request().withHeader("User-Agent", "berth/1"));
 * }</pre>
 *
 * <p>An interceptor that calls {@code proceed} again closes the response it drops, and only resends
 * a request whose {@link Body#replayable() body can be sent again}.
 */
@FunctionalInterface
public interface Interceptor {

    Response intercept(Chain chain) throws IOException;

    /** The rest of the stack, from one interceptor's point of view. */
    interface Chain {
        Request request();

        /** Passes {@code request} to the next layer and returns its response. */
        Response proceed(Request request) throws IOException;
    }
}
