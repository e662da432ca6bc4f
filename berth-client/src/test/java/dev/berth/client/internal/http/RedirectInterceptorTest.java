package dev.berth.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.RegistryClientException;
import dev.berth.spec.Registry;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectInterceptorTest {

    @Test
    void followsRedirectsKeepingRangeAndLeavingTheRegistryHost() throws IOException {
        Scripted server = new Scripted(r -> r.uri().getHost().equals("registry.example")
                ? Scripted.response(r, 307, "", "Location", "https://blobs.example/x?sig=1")
                : Scripted.response(r, 206, "data"));
        Request request = Request.of("GET", URI.create("https://registry.example/v2/a/blobs/sha256:00"),
                new Registry("registry.example"), List.of()).withHeader("Range", "bytes=10-");
        Response response = Scripted.chain(new RedirectInterceptor(10), server).execute(request);
        assertThat(response.status()).isEqualTo(206);
        Request second = server.requests.get(1);
        assertThat(second.uri()).hasToString("https://blobs.example/x?sig=1");
        assertThat(second.headers().firstValue("Range")).contains("bytes=10-");
        assertThat(second.targetsRegistryHost()).as("auth layers will not add the registry's credentials").isFalse();
        assertThat(request.targetsRegistryHost()).isTrue();
    }

    @Test
    void seeOtherBecomesGet() throws IOException {
        Scripted server = new Scripted(r -> r.method().equals("POST")
                ? Scripted.response(r, 303, "", "Location", "/elsewhere") : Scripted.response(r, 200, ""));
        Request post = Request.of("POST", URI.create("https://r.example/x"), null, List.of())
                .withBody(new Body.Bytes(new byte[] {1}));
        Scripted.chain(new RedirectInterceptor(10), server).execute(post);
        assertThat(server.requests.get(1).method()).isEqualTo("GET");
        assertThat(server.requests.get(1).body()).isInstanceOf(Body.None.class);
        assertThat(server.requests.get(1).uri()).hasToString("https://r.example/elsewhere");
    }

    @Test
    void capsTheHops() {
        Scripted loop = new Scripted(r -> Scripted.response(r, 302, "", "Location", "/again"));
        assertThatThrownBy(() -> Scripted.chain(new RedirectInterceptor(3), loop).execute(Request.get(URI.create("https://r.example/"))))
                .isInstanceOf(RegistryClientException.class).hasMessageContaining("too many redirects");
        assertThat(loop.requests).hasSize(4);
    }
}
