package dev.berth.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.client.Credential;
import dev.berth.client.RegistryClientException;
import dev.berth.client.internal.http.Scripted;
import dev.berth.spec.auth.Scope;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenClientTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final URI REALM = URI.create("https://auth.example/token?client=x");

    private static TokenClient.Grant answer(String body) {
        return new TokenClient(Scripted.chain(new Scripted(r -> Scripted.response(r, 200, body))), CLOCK)
                .fetch(REALM, "svc", List.of(Scope.parse("repository:a:pull")), null, null);
    }

    @Test
    void readsTokenOrAccessTokenWithLifetimes() {
        TokenClient.Grant grant = answer("{\"access_token\":\"abc\",\"expires_in\":3600,\"issued_at\":\"2026-06-01T11:59:00Z\"}");
        assertThat(grant.token().value()).isEqualTo("abc");
        assertThat(grant.token().issuedAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(grant.token().expiresAt()).isEqualTo(NOW.plusSeconds(3540));
        assertThat(grant.refreshToken()).isNull();

        assertThat(answer("{\"token\":\"t\",\"expires_in\":10}").token().expiresAt()).as("at least 60 s").isEqualTo(NOW.plusSeconds(60));
        assertThat(answer("{\"token\":\"t\"}").token().expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(answer("{\"token\":\"t\",\"expires_in\":300,\"issued_at\":\"2020-01-01T00:00:00Z\"}").token().expiresAt())
                .as("a server clock far behind ours does not make the token useless").isEqualTo(NOW.plus(Duration.ofSeconds(300)));
        assertThat(answer("{\"token\":\"t\",\"refresh_token\":\"r\"}").refreshToken()).isEqualTo("r");
    }

    @Test
    void getAppendsToARealmWithAQuery() {
        Scripted service = new Scripted(r -> Scripted.response(r, 200, "{\"token\":\"t\"}"));
        new TokenClient(Scripted.chain(service), CLOCK).fetch(REALM, "svc",
                List.of(Scope.parse("repository:a:pull"), Scope.parse("repository:b/c:pull,push")), null, null);
        assertThat(service.requests.getFirst().uri()).hasToString(
                "https://auth.example/token?client=x&service=svc&scope=repository%3Aa%3Apull&scope=repository%3Ab%2Fc%3Apull%2Cpush");
    }

    @Test
    void reportsRefusalsAndEmptyAnswers() {
        RegistryClientException refused = catchThrowableOfType(RegistryClientException.class,
                () -> new TokenClient(Scripted.chain(new Scripted(r -> Scripted.response(r, 401,
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}"))), CLOCK)
                        .fetch(REALM, "svc", List.of(), Credential.basic("a", "b"), null));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).startsWith("token service refused: POST https://auth.example/token?client=x: 401 UNAUTHORIZED");
        assertThat(refused.getMessage()).doesNotContain("password");

        RegistryClientException empty = catchThrowableOfType(RegistryClientException.class, () -> answer("{\"expires_in\":60}"));
        assertThat(empty.getMessage()).contains("sent no token");
    }

    @Test
    void redeemsRefreshTokensAndFallsBackOn405() {
        Scripted service = new Scripted(r -> r.method().equals("POST")
                ? Scripted.response(r, 405, "") : Scripted.response(r, 200, "{\"token\":\"t\"}"));
        new TokenClient(Scripted.chain(service), CLOCK).fetch(REALM, "svc", List.of(),
                Credential.identityToken(null, "refresh"), "refresh");
        assertThat(service.requests).extracting(r -> r.method()).containsExactly("POST", "GET");
        assertThat(service.requests.get(1).headers().firstValue("Authorization")).as("no password to send").isEmpty();
    }
}
