package dev.berth.client.internal.auth;

import dev.berth.client.Credential;
import dev.berth.client.internal.http.Interceptor;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.auth.BasicCredentials;
import dev.berth.spec.auth.Challenge;
import java.io.IOException;
import java.util.Optional;

/**
 * HTTP Basic for registries that ask for it (distribution with htpasswd): a 401 with a {@code Basic}
 * challenge is answered once with the registry's credential, and from then on the credential is sent
 * up front. Only to the registry's own host; never over plain HTTP except where plain HTTP is allowed
 * at all (the scheme layer sees to that).
 */
public final class BasicAuth implements Interceptor {
    private final AuthStates states;

    public BasicAuth(AuthStates states) {
        this.states = states;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!request.targetsRegistryHost() || request.hasHeader("Authorization")) {
            return chain.proceed(request);
        }
        AuthState state = states.of(request.registry());
        Optional<String> header = state.credential().filter(c -> c.password() != null).map(BasicAuth::header);
        if (state.basic() && header.isPresent()) {
            return chain.proceed(request.withHeader("Authorization", header.get()));
        }
        Response response = chain.proceed(request);
        if (response.status() == 401 && header.isPresent() && asksForBasic(response) && request.body().replayable()) {
            state.learnBasic();
            response.close();
            return chain.proceed(request.withHeader("Authorization", header.get()));
        }
        return response;
    }

    private static String header(Credential credential) {
        return new BasicCredentials(credential.username(), credential.password()).header();
    }

    private static boolean asksForBasic(Response response) {
        return response.headers().allValues("WWW-Authenticate").stream()
                .flatMap(value -> Challenge.parse(value).stream())
                .anyMatch(challenge -> challenge.scheme().equals("basic"));
    }
}
