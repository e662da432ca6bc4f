package dev.berth.client.internal.http;

import java.io.IOException;
import java.util.List;

/** Runs a request through a fixed list of interceptors, the last of which must answer it. */
public final class InterceptorChain {
    private final List<Interceptor> interceptors;

    public InterceptorChain(List<Interceptor> interceptors) {
        if (interceptors.isEmpty()) {
            throw new IllegalArgumentException("no interceptors");
        }
        this.interceptors = List.copyOf(interceptors);
    }

    public Response execute(Request request) throws IOException {
        return new Link(0, request).proceed(request);
    }

    private final class Link implements Interceptor.Chain {
        private final int index;
        private final Request request;

        Link(int index, Request request) {
            this.index = index;
            this.request = request;
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public Response proceed(Request next) throws IOException {
            if (index >= interceptors.size()) {
                throw new IllegalStateException("the last interceptor must not call proceed");
            }
            return interceptors.get(index).intercept(new Link(index + 1, next));
        }
    }
}
