package dev.berth.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.RegistryClientException;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class SchemeInterceptorTest {
    private final PlainHttpPolicy policy = new PlainHttpPolicy(Set.of("insecure.example", "other.example:5000"));

    @Test
    void plainHttpOnlyForLoopbackAndInsecureHosts() {
        assertThat(policy.test(URI.create("http://localhost:5000/"))).isTrue();
        assertThat(policy.test(URI.create("http://127.1.2.3/"))).isTrue();
        assertThat(policy.test(URI.create("http://[::1]:5000/"))).isTrue();
        assertThat(policy.test(URI.create("http://insecure.example:1234/"))).isTrue();
        assertThat(policy.test(URI.create("http://other.example:5000/"))).isTrue();
        assertThat(policy.test(URI.create("http://other.example:5001/"))).isFalse();
        assertThat(policy.test(URI.create("http://10.0.0.1/"))).isFalse();
        assertThat(policy.test(URI.create("http://registry.example/"))).isFalse();
        assertThat(policy.test(URI.create("http://127.0.0.1.evil.example/"))).isFalse();
    }

    @Test
    void refusesPlainHttpElsewhere() {
        Scripted server = new Scripted(r -> Scripted.response(r, 200, ""));
        assertThatThrownBy(() -> Scripted.chain(new SchemeInterceptor(policy), server)
                .execute(Request.get(URI.create("http://auth.example/token"))))
                .isInstanceOf(RegistryClientException.class).hasMessageContaining("refusing plain HTTP to auth.example");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void anInsecureHostTriesHttpsThenFallsBackToHttpOnceAndRemembers() throws IOException {
        Scripted server = new Scripted(r -> {
            if (r.uri().getScheme().equals("https")) {
                throw new SSLException("Unsupported or unrecognized SSL message");
            }
            return Scripted.response(r, 200, "");
        });
        InterceptorChain chain = Scripted.chain(new SchemeInterceptor(policy), server);
        assertThat(chain.execute(Request.get(URI.create("https://insecure.example:5000/v2/"))).request().uri())
                .isEqualTo(URI.create("http://insecure.example:5000/v2/"));
        chain.execute(Request.get(URI.create("https://insecure.example:5000/v2/x?mount=sha256%3Aab&from=a%2Fb")));
        assertThat(server.requests).extracting(r -> r.uri().toString()).containsExactly(
                "https://insecure.example:5000/v2/", "http://insecure.example:5000/v2/",
                "http://insecure.example:5000/v2/x?mount=sha256%3Aab&from=a%2Fb");
    }

    @Test
    void aLoopbackHostTriesPlainHttpFirstAndRemembers() throws IOException {
        Scripted server = new Scripted(r -> Scripted.response(r, 200, ""));
        InterceptorChain chain = Scripted.chain(new SchemeInterceptor(policy), server);
        chain.execute(Request.get(URI.create("https://localhost:5000/v2/")));
        chain.execute(Request.get(URI.create("https://localhost:5000/v2/x?mount=sha256%3Aab&from=a%2Fb")));
        assertThat(server.requests).extracting(r -> r.uri().toString()).containsExactly(
                "http://localhost:5000/v2/", "http://localhost:5000/v2/x?mount=sha256%3Aab&from=a%2Fb");
    }

    @Test
    void aLoopbackTlsPortIsFoundAfterThePlainAttempt() throws IOException {
        // Go's TLS servers answer plain HTTP with a bare 400; others hang up
        Scripted server = new Scripted(r -> {
            if (r.uri().getScheme().equals("https")) {
                return Scripted.response(r, 200, "");
            }
            if (r.uri().getPort() == 5443) {
                return new Response(r, 400, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true),
                        java.io.InputStream.nullInputStream());
            }
            throw new IOException("connection reset");
        });
        InterceptorChain chain = Scripted.chain(new SchemeInterceptor(policy), server);
        assertThat(chain.execute(Request.get(URI.create("https://localhost:5443/v2/"))).request().uri().getScheme()).isEqualTo("https");
        assertThat(chain.execute(Request.get(URI.create("https://127.0.0.1:6443/v2/"))).request().uri().getScheme()).isEqualTo("https");
        chain.execute(Request.get(URI.create("https://localhost:5443/v2/again")));
        assertThat(server.requests).extracting(r -> r.uri().toString()).containsExactly(
                "http://localhost:5443/v2/", "https://localhost:5443/v2/",
                "http://127.0.0.1:6443/v2/", "https://127.0.0.1:6443/v2/",
                "https://localhost:5443/v2/again");
    }

    @Test
    void keepsHttpsWhereItWorks() throws IOException {
        Scripted server = new Scripted(r -> Scripted.response(r, 200, ""));
        InterceptorChain chain = Scripted.chain(new SchemeInterceptor(policy), server);
        chain.execute(Request.get(URI.create("https://insecure.example:5443/v2/")));
        chain.execute(Request.get(URI.create("https://registry.example/v2/")));
        assertThat(server.requests).extracting(r -> r.uri().getScheme()).containsOnly("https");
    }

    @Test
    void tlsFailuresOfOrdinaryHostsAreNotDowngraded() {
        Scripted server = new Scripted(r -> {
            throw new SSLException("bad");
        });
        assertThatThrownBy(() -> Scripted.chain(new SchemeInterceptor(policy), server)
                .execute(Request.get(URI.create("https://registry.example/v2/")))).isInstanceOf(SSLException.class);
        assertThat(server.requests).hasSize(1);
    }
}
