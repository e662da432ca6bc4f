package dev.berth.client.internal.http;

import dev.berth.client.CredentialStore;
import dev.berth.client.ExchangeListener;
import dev.berth.client.internal.auth.AuthStates;
import dev.berth.client.internal.auth.BasicAuth;
import dev.berth.client.internal.auth.BearerAuth;
import dev.berth.client.internal.auth.PublicSuffixList;
import dev.berth.client.internal.auth.RealmPolicy;
import dev.berth.client.internal.auth.TokenClient;
import dev.berth.client.internal.auth.Warnings;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The client's HTTP layers, put together in {@link #build}, the one place that decides their order
 * (okhttp's {@code getResponseWithInterceptorChain}). Outermost first:
 *
 * <pre>
 * registry requests:  UserAgent → Retry → Redirect → Scheme → BearerAuth → BasicAuth → ExchangeRecorder → Transport
 * token requests:     UserAgent → Retry →            Scheme →                          ExchangeRecorder → Transport
 * </pre>
 *
 * Retry sits outside auth so that each attempt is authorised afresh; Redirect outside auth so that a
 * redirected request is judged by its new host; Scheme outside auth so that auth sees the URL that is
 * really used; the recorder next to the wire so that the listener sees every request actually sent.
 */
public record HttpStack(InterceptorChain registry, InterceptorChain tokens, AuthStates auth, BearerAuth bearer) {

    /** Everything the layers are configured with. */
    public record Options(HttpClient client, String userAgent, Set<String> insecureHosts, Set<String> trustedRealmHosts,
            CredentialStore credentials, ExchangeListener listener, boolean revealSecrets, int maxAttempts,
            Duration initialBackoff, Duration maxRetryWait, Duration timeout, Clock clock,
            RetryInterceptor.Sleeper sleeper) {
    }

    public static HttpStack build(Options o) {
        Warnings warnings = new Warnings(o.listener());
        Interceptor userAgent = new UserAgentInterceptor(o.userAgent());
        Interceptor retry = new RetryInterceptor(o.maxAttempts(), o.initialBackoff(), o.maxRetryWait(), o.sleeper(), o.clock());
        Interceptor scheme = new SchemeInterceptor(new PlainHttpPolicy(o.insecureHosts()));
        Interceptor recorder = new ExchangeRecorder(o.listener(), o.revealSecrets());
        Interceptor transport = new Transport(o.client(), o.timeout());

        InterceptorChain tokens = new InterceptorChain(List.of(userAgent, retry, scheme, recorder, transport));
        AuthStates auth = new AuthStates(o.credentials(), warnings);
        BearerAuth bearer = new BearerAuth(auth, new TokenClient(tokens, o.clock()),
                new RealmPolicy(o.trustedRealmHosts(), PublicSuffixList::bundled), warnings, o.listener(),
                o.revealSecrets(), o.clock());
        InterceptorChain registry = new InterceptorChain(List.of(userAgent, retry, new RedirectInterceptor(10), scheme,
                bearer, new BasicAuth(auth), recorder, transport));
        return new HttpStack(registry, tokens, auth, bearer);
    }
}
