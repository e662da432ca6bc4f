package dev.berth.client.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.Credential;
import dev.berth.client.RegistryClientException;
import dev.berth.client.Token;
import dev.berth.client.internal.http.Body;
import dev.berth.client.internal.http.ErrorResponses;
import dev.berth.client.internal.http.InterceptorChain;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.auth.BasicCredentials;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Asks a token service for a bearer token, as docker's {@code session.go} and ggcr's {@code bearer.go}
 * do. With an identity token: OAuth2 {@code POST grant_type=refresh_token}. With a password: OAuth2
 * {@code POST grant_type=password}. Both send {@code client_id=berth} and {@code access_type=offline},
 * and fall back to the GET protocol when the service does not speak OAuth2 (404 or 405; for the
 * password grant also 400). Without credentials, or after the fallback:
 * {@code GET realm?service=…&scope=…&scope=…}, with Basic credentials when there is a password.
 *
 * <p>Credentials are passed in only when the caller ({@link BearerAuth}) has judged the realm
 * worthy of them. The answer's {@code expires_in} below 60 s counts as 60 s, as docker does.
 */
public final class TokenClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1024 * 1024;
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(60);
    private static final String CLIENT_ID = "berth";

    private final InterceptorChain chain;
    private final Clock clock;

    public TokenClient(InterceptorChain chain, Clock clock) {
        this.chain = chain;
        this.clock = clock;
    }

    /** A token and, when the service issued one, a refresh token to use next time instead of the password. */
    public record Grant(Token token, String refreshToken) {
    }

    /**
     * @param credential {@code null} for an anonymous token
     * @param refreshToken an identity token to redeem, or {@code null}
     */
    public Grant fetch(URI realm, String service, List<Scope> scopes, Credential credential, String refreshToken) {
        try {
            if (refreshToken != null) {
                Response response = chain.execute(post(realm, form(service, scopes, "refresh_token", "refresh_token", refreshToken)));
                if (!Set.of(404, 405).contains(response.status())) {
                    return read(response, realm, service, scopes);
                }
                response.close();
            } else if (credential != null && credential.password() != null) {
                Response response = chain.execute(post(realm, form(service, scopes, "password",
                        "username", credential.username(), "password", credential.password())));
                if (!Set.of(400, 404, 405).contains(response.status())) {
                    return read(response, realm, service, scopes);
                }
                response.close();
            }
            return read(chain.execute(get(realm, service, scopes, credential)), realm, service, scopes);
        } catch (IOException e) {
            throw new RegistryClientException("token request to " + realm + " failed: " + e.getMessage(), e);
        }
    }

    private Request get(URI realm, String service, List<Scope> scopes, Credential credential) {
        List<String> params = new ArrayList<>();
        boolean basic = credential != null && credential.password() != null;
        if (basic) {
            params.add("account=" + encode(credential.username()));
        }
        if (service != null) {
            params.add("service=" + encode(service));
        }
        for (Scope scope : scopes) {
            params.add("scope=" + encode(scope.toString()));
        }
        String query = String.join("&", params);
        String base = realm.toString();
        URI uri = URI.create(query.isEmpty() ? base : base + (realm.getRawQuery() == null ? "?" : "&") + query);
        Request request = Request.get(uri);
        return basic ? request.withHeader("Authorization", new BasicCredentials(credential.username(), credential.password()).header()) : request;
    }

    private static Request post(URI realm, String form) {
        return new Request("POST", realm, null, new Body.Bytes(form.getBytes(StandardCharsets.UTF_8)), null, List.of())
                .withHeader("Content-Type", "application/x-www-form-urlencoded");
    }

    private static String form(String service, List<Scope> scopes, String grantType, String... fields) {
        StringBuilder form = new StringBuilder("grant_type=").append(grantType).append("&client_id=").append(CLIENT_ID)
                .append("&access_type=offline");
        if (service != null) {
            form.append("&service=").append(encode(service));
        }
        if (!scopes.isEmpty()) {
            form.append("&scope=").append(encode(String.join(" ", scopes.stream().map(Scope::toString).toList())));
        }
        for (int i = 0; i + 1 < fields.length; i += 2) {
            form.append('&').append(fields[i]).append('=').append(encode(fields[i + 1]));
        }
        return form.toString();
    }

    private Grant read(Response response, URI realm, String service, List<Scope> scopes) throws IOException {
        if (response.status() != 200) {
            RegistryClientException refused = ErrorResponses.exception(response, clock);
            throw new RegistryClientException(refused.status(), refused.errorCode().orElse(null),
                    "token service refused: " + refused.getMessage(), refused.retryAt().orElse(null), null);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.bytes(MAX_BODY));
        } catch (IOException e) {
            throw new RegistryClientException("token service " + realm + " sent an unreadable answer: " + e.getMessage(), e);
        }
        String value = text(body, "token");
        if (value == null) {
            value = text(body, "access_token");
        }
        if (value == null || value.isEmpty()) {
            throw new RegistryClientException("token service " + realm + " sent no token");
        }
        Duration lifetime = body.path("expires_in").canConvertToLong() ? Duration.ofSeconds(body.path("expires_in").asLong()) : MIN_LIFETIME;
        if (lifetime.compareTo(MIN_LIFETIME) < 0) {
            lifetime = MIN_LIFETIME;
        }
        Instant now = clock.instant();
        Instant issuedAt = now;
        String issued = text(body, "issued_at");
        if (issued != null) {
            try {
                issuedAt = Instant.parse(issued);
            } catch (DateTimeParseException e) {
                // keep the local time, as docker does for an unreadable issued_at
            }
        }
        if (issuedAt.isAfter(now) || !issuedAt.plus(lifetime).isAfter(now)) {
            issuedAt = now; // a clock that disagrees with ours must not make the token useless or eternal
        }
        Token token = new Token(value, realm, service, scopes, issuedAt, issuedAt.plus(lifetime));
        return new Grant(token, text(body, "refresh_token"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
