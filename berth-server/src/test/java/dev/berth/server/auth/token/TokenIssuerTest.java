package dev.berth.server.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.server.auth.Principal;
import dev.berth.server.auth.token.SigningKey.Algorithm;
import dev.berth.spec.auth.AccessEntry;
import dev.berth.spec.auth.Scope;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokenIssuerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.750Z");
    private static final Principal ALICE = new Principal.User("alice", Set.of("dev"), false);

    @TempDir
    static Path dir;
    static Map<Algorithm, SigningKey> keys;

    @BeforeAll
    static void keys() throws Exception {
        keys = Map.of(Algorithm.ES256, SigningKey.loadOrCreate(dir.resolve("es"), Algorithm.ES256),
                Algorithm.RS256, SigningKey.loadOrCreate(dir.resolve("rs"), Algorithm.RS256));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void headerNamesTheAlgorithmKeyAndChain(Algorithm algorithm) throws Exception {
        SigningKey key = keys.get(algorithm);
        String token = issuer(key).issue(ALICE, "registry", List.of()).token();

        JsonNode header = part(token, 0);
        assertThat(fieldNames(header)).containsExactlyInAnyOrder("typ", "alg", "kid", "x5c");
        assertThat(header.get("typ").textValue()).isEqualTo("JWT");
        assertThat(header.get("alg").textValue()).isEqualTo(algorithm.name());
        assertThat(header.get("kid").textValue()).matches(SigningKeyTest.LIBTRUST_KEY_ID).isEqualTo(key.keyId());
        assertThat(header.get("x5c")).hasSize(1);
        assertThat(Base64.getDecoder().decode(header.get("x5c").get(0).textValue()))
                .isEqualTo(key.certificateChain().getFirst().getEncoded());
    }

    @Test
    void claimsAreExactlyTheProtocols() throws Exception {
        List<AccessEntry> access = List.of(
                AccessEntry.of(Scope.repository("team/app", "pull", "push"), Map.of()),
                AccessEntry.of(Scope.parse("repository:library/alpine:pull"), Map.of("pull_limit", "100")),
                AccessEntry.of(Scope.catalog(), Map.of()));

        IssuedToken issued = issuer(keys.get(Algorithm.ES256)).issue(ALICE, "registry.example", access);

        ObjectNode claims = (ObjectNode) part(issued.token(), 1);
        assertThat(claims.remove("jti").textValue()).matches("[A-Za-z0-9_-]{22}");
        long iat = NOW.getEpochSecond();
        assertThat(claims).isEqualTo(JSON.readTree("""
                {"iss":"berth","sub":"alice","aud":"registry.example","exp":%d,"nbf":%d,"iat":%d,
                 "access":[{"type":"repository","name":"team/app","actions":["pull","push"]},
                           {"type":"repository","name":"library/alpine","actions":["pull"],"parameters":{"pull_limit":"100"}},
                           {"type":"registry","name":"catalog","actions":["*"]}]}
                """.formatted(iat + 300, iat, iat)));
        assertThat(issued.issuedAt()).isEqualTo(Instant.ofEpochSecond(iat));
        assertThat(issued.expiresIn()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void anAnonymousEmptyGrantHasAnEmptySubjectAndAnEmptyAccessArray() throws Exception {
        String token = issuer(keys.get(Algorithm.ES256)).issue(new Principal.Anonymous(), "registry", List.of()).token();

        JsonNode claims = part(token, 1);
        assertThat(claims.get("sub").textValue()).isEmpty();
        assertThat(claims.get("access").isArray()).isTrue();
        assertThat(claims.get("access")).isEmpty();
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        TokenIssuer issuer = issuer(keys.get(Algorithm.ES256));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(part(issuer.issue(ALICE, "registry", List.of()).token(), 1).get("jti").textValue());
        }
        assertThat(ids).hasSize(50);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theSignatureVerifiesWithTheCertificatesKey(Algorithm algorithm) throws Exception {
        SigningKey key = keys.get(algorithm);
        SignedJWT jwt = SignedJWT.parse(issuer(key).issue(ALICE, "registry", List.of()).token());

        var publicKey = key.certificateChain().getFirst().getPublicKey();
        assertThat(jwt.verify(algorithm == Algorithm.ES256
                ? new ECDSAVerifier((ECPublicKey) publicKey)
                : new RSASSAVerifier((RSAPublicKey) publicKey))).isTrue();
    }

    @Test
    void lifetimeIsConfigurableButAtLeastAMinute() throws Exception {
        SigningKey key = keys.get(Algorithm.ES256);
        TokenIssuer hour = new TokenIssuer(key, "berth", Duration.ofHours(1), new MutableClock(NOW), null);

        JsonNode claims = part(hour.issue(ALICE, "registry", List.of()).token(), 1);
        assertThat(claims.get("exp").longValue() - claims.get("iat").longValue()).isEqualTo(3600);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TokenIssuer(key, "berth", Duration.ofSeconds(59), new MutableClock(NOW), null));
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenIssuer(key, " ", Duration.ofMinutes(5), new MutableClock(NOW), null));
        assertThatIllegalArgumentException().isThrownBy(() -> hour.issue(ALICE, "", List.of()));
        assertThat(new TokenIssuer(key, "berth").issue(ALICE, "registry", List.of()).expiresIn()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void issuedTokensDoNotPrintTheirToken() {
        IssuedToken issued = issuer(keys.get(Algorithm.ES256)).issue(ALICE, "registry", List.of());

        assertThat(issued.toString()).doesNotContain(issued.token()).contains("expiresIn");
    }

    private static TokenIssuer issuer(SigningKey key) {
        return new TokenIssuer(key, "berth", TokenIssuer.DEFAULT_LIFETIME, new MutableClock(NOW), null);
    }

    static JsonNode part(String token, int index) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
