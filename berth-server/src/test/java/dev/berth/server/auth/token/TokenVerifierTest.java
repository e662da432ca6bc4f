package dev.berth.server.auth.token;

import static dev.berth.server.auth.token.TestPki.NOW;
import static dev.berth.server.auth.token.TestPki.b64;
import static dev.berth.server.auth.token.TestPki.goodClaims;
import static dev.berth.server.auth.token.TestPki.header;
import static dev.berth.server.auth.token.TestPki.sign;
import static dev.berth.server.auth.token.TestPki.x5c;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.berth.server.auth.Principal;
import dev.berth.server.auth.token.SigningKey.Algorithm;
import dev.berth.spec.auth.AccessEntry;
import dev.berth.spec.auth.KeyIds;
import dev.berth.spec.auth.Scope;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier's attack catalogue: every rule of {@link TokenVerifier} has a token here that breaks it
 * and must be refused, next to the round trips that must pass.
 */
class TokenVerifierTest {
    private static final Principal ALICE = new Principal.User("alice", Set.of(), false);
    private static final List<AccessEntry> PULL_APP = List.of(AccessEntry.of(Scope.repository("team/app", "pull"), Map.of()));

    @TempDir
    static Path keyDir;
    static SigningKey es256;
    static SigningKey rs256;
    static KeyPair attacker;

    MutableClock clock;
    TokenVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        es256 = SigningKey.loadOrCreate(keyDir.resolve("es"), Algorithm.ES256);
        rs256 = SigningKey.loadOrCreate(keyDir.resolve("rs"), Algorithm.RS256);
        attacker = TestPki.ec("secp256r1");
    }

    @BeforeEach
    void verifier() {
        clock = new MutableClock(NOW);
        verifier = verifier(TrustedKeys.builder().signingKey(es256).signingKey(rs256).build());
    }

    private TokenVerifier verifier(TrustedKeys trusted) {
        return new TokenVerifier(trusted, Set.of("berth"), "registry", Duration.ofSeconds(30), clock);
    }

    private TokenIssuer issuer(SigningKey key) {
        return new TokenIssuer(key, "berth", Duration.ofMinutes(5), clock, null);
    }

    /** A token of berth's ES256 key with these claims, signed properly, header as berth writes it. */
    private static String berthToken(JWTClaimsSet claims) {
        return sign(berthHeader(es256).build(), claims, es256.privateKey());
    }

    private static JWSHeader.Builder berthHeader(SigningKey key) {
        return header(key.algorithm().jws).type(JOSEObjectType.JWT).keyID(key.keyId())
                .x509CertChain(x5c(key.certificateChain().getFirst()));
    }

    private void refused(String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessage(reason);
    }

    @Nested
    class RoundTrips {

        @ParameterizedTest
        @EnumSource(Algorithm.class)
        void issuedTokensVerify(Algorithm algorithm) {
            SigningKey key = algorithm == Algorithm.ES256 ? es256 : rs256;
            String token = issuer(key).issue(ALICE, "registry", PULL_APP).token();

            VerifiedToken verified = verifier.verify(token);

            assertThat(verified.subject()).isEqualTo("alice");
            assertThat(verified.issuer()).isEqualTo("berth");
            assertThat(verified.access()).isEqualTo(PULL_APP);
            assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(300));
            assertThat(verified.allows(Scope.repository("team/app", "pull"))).isTrue();
            assertThat(verified.allows(Scope.repository("team/app", "push"))).isFalse();
            assertThat(verified.allows(Scope.repository("team/other", "pull"))).isFalse();
        }

        @Test
        void anonymousEmptyGrantsVerifyAndAllowNothing() {
            VerifiedToken verified = verifier.verify(issuer(es256).issue(new Principal.Anonymous(), "registry", List.of()).token());

            assertThat(verified.subject()).isEmpty();
            assertThat(verified.access()).isEmpty();
            assertThat(verified.allows(Scope.repository("team/app", "pull"))).isFalse();
        }

        @Test
        void allowsUnitesEntriesAndHonoursTheWildcard() {
            VerifiedToken verified = verifier.verify(issuer(es256).issue(ALICE, "registry", List.of(
                    AccessEntry.of(Scope.repository("a", "pull"), Map.of()),
                    AccessEntry.of(Scope.repository("a", "push"), Map.of()),
                    AccessEntry.of(Scope.repository("b", "*"), Map.of()),
                    AccessEntry.of(Scope.catalog(), Map.of()))).token());

            assertThat(verified.allows(Scope.repository("a", "pull", "push"))).isTrue();
            assertThat(verified.allows(Scope.repository("a", "delete"))).isFalse();
            assertThat(verified.allows(Scope.repository("b", "pull", "push", "delete"))).isTrue();
            assertThat(verified.allows(Scope.catalog())).isTrue();
            assertThat(verified.allows(Scope.parse("repository(plugin):a:pull"))).isFalse();
        }

        @Test
        void theCertificateBundleOfTheSigningKeyParsesBackAndVerifiesItsTokens() {
            TokenVerifier fromBundle = verifier(TrustedKeys.builder().pem(rs256.certificateBundlePem()).build());

            assertThat(fromBundle.verify(issuer(rs256).issue(ALICE, "registry", PULL_APP).token()).subject()).isEqualTo("alice");
            assertThatThrownBy(() -> fromBundle.verify(issuer(es256).issue(ALICE, "registry", PULL_APP).token()))
                    .hasMessage("untrusted signing certificate");
        }

        @Test
        void aKidWithoutX5cNamesATrustedCertificatesKey() {
            String token = sign(header(JWSAlgorithm.ES256).keyID(es256.keyId()).build(), goodClaims().build(), es256.privateKey());

            assertThat(verifier.verify(token).subject()).isEqualTo("alice");
        }

        @Test
        void audienceMayBeAnArrayContainingTheService() {
            String token = berthToken(goodClaims().audience(List.of("other", "registry")).build());

            assertThat(verifier.verify(token).subject()).isEqualTo("alice");
        }

        @Test
        void clockSkewWithinTheLeewayIsForgiven() {
            String token = berthToken(goodClaims().notBeforeTime(Date.from(NOW.plusSeconds(29))).build());
            assertThat(verifier.verify(token).subject()).isEqualTo("alice");

            String expiring = berthToken(goodClaims().expirationTime(Date.from(NOW.minusSeconds(29))).jwtID("2").build());
            assertThat(verifier.verify(expiring).subject()).isEqualTo("alice");
        }

        @Test
        void missingSubjectIsAnonymousAndMissingOrNullAccessGrantsNothing() {
            VerifiedToken bare = verifier.verify(berthToken(goodClaims().subject(null).claim("access", null).build()));

            assertThat(bare.subject()).isEmpty();
            assertThat(bare.access()).isEmpty();
        }

        @Test
        void accessParametersAndGoNullActionsAreRead() {
            Map<String, Object> limited = Map.of("type", "repository", "name", "library/alpine", "actions", List.of("pull"),
                    "parameters", Map.of("pull_limit", "100", "pull_limit_interval", 21600));
            Map<String, Object> denied = new java.util.HashMap<>(Map.of("type", "repository", "name", "x"));
            denied.put("actions", null);

            VerifiedToken verified = verifier.verify(berthToken(goodClaims().claim("access", List.of(limited, denied)).build()));

            assertThat(verified.access()).containsExactly(
                    new AccessEntry("repository", "library/alpine", List.of("pull"),
                            Map.of("pull_limit", "100", "pull_limit_interval", "21600")),
                    new AccessEntry("repository", "x", List.of(), Map.of()));
        }

        @Test
        void entriesForAResourceClassGrantNothingHere() {
            Map<String, Object> plugin = Map.of("type", "repository", "class", "plugin", "name", "team/app", "actions", List.of("pull"));

            VerifiedToken verified = verifier.verify(berthToken(goodClaims().claim("access", List.of(plugin)).build()));

            assertThat(verified.access()).isEmpty();
            assertThat(verified.allows(Scope.repository("team/app", "pull"))).isFalse();
        }
    }

    @Nested
    class Algorithms {

        @Test
        void algNoneIsRefused() {
            String claims = b64(goodClaims().build().toString());
            refused(b64("{\"alg\":\"none\"}") + "." + claims + ".", "malformed token");
            refused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + claims + "." + b64("x"), "malformed token");
            refused(b64("{\"alg\":\"None\",\"kid\":\"" + es256.keyId() + "\"}") + "." + claims + "." + b64("x"),
                    "unsupported signing algorithm");
        }

        /** Alg confusion: an HMAC keyed with the bytes of a trusted public key that everyone can read. */
        @ParameterizedTest
        @ValueSource(strings = {"HS256", "HS384", "HS512"})
        void hmacKeyedWithTheTrustedPublicKeyIsRefused(String alg) throws Exception {
            JWSAlgorithm hmac = JWSAlgorithm.parse(alg);
            byte[] der = es256.certificateChain().getFirst().getPublicKey().getEncoded();
            byte[] pem = es256.certificateBundlePem().getBytes(StandardCharsets.US_ASCII);
            for (byte[] secret : List.of(pem, der, rs256.certificateChain().getFirst().getPublicKey().getEncoded())) {
                for (JWSHeader header : List.of(
                        new JWSHeader.Builder(hmac).type(JOSEObjectType.JWT).keyID(es256.keyId())
                                .x509CertChain(x5c(es256.certificateChain().getFirst())).build(),
                        new JWSHeader.Builder(hmac).keyID(es256.keyId()).build(),
                        new JWSHeader.Builder(hmac).build())) {
                    JWSObject jws = new JWSObject(header, new Payload(goodClaims().build().toJSONObject()));
                    jws.sign(new MACSigner(secret));
                    refused(jws.serialize(), "unsupported signing algorithm");
                }
            }
        }

        @Test
        void anAlgorithmThatDoesNotFitTheKeyIsRefused() {
            String good = berthToken(goodClaims().build());
            String[] parts = good.split("\\.");
            String es384 = b64("{\"alg\":\"ES384\",\"kid\":\"" + es256.keyId() + "\"}");
            String rs256header = b64("{\"alg\":\"RS256\",\"kid\":\"" + es256.keyId() + "\"}");
            String ps256OnEc = b64("{\"alg\":\"PS256\",\"kid\":\"" + es256.keyId() + "\"}");

            refused(es384 + "." + parts[1] + "." + parts[2], "signing key does not fit the algorithm");
            refused(rs256header + "." + parts[1] + "." + parts[2], "signing key does not fit the algorithm");
            refused(ps256OnEc + "." + parts[1] + "." + parts[2], "signing key does not fit the algorithm");
        }

        @Test
        void rsaPssFromATrustedRsaKeyIsAccepted() {
            String token = sign(header(JWSAlgorithm.PS256).keyID(rs256.keyId()).build(), goodClaims().build(), rs256.privateKey());

            assertThat(verifier.verify(token).subject()).isEqualTo("alice");
        }

        @Test
        void weakRsaKeysAreRefusedEvenWhenTrusted() throws Exception {
            KeyPair weak = TestPki.rsa(1024);
            String jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) weak.getPublic()).keyID("weak").build()).toString();
            TokenVerifier trustsWeak = verifier(TrustedKeys.builder().jwks(jwks).build());

            String token = sign(header(JWSAlgorithm.RS256).keyID("weak").build(), goodClaims().build(), weak.getPrivate());

            assertThatThrownBy(() -> trustsWeak.verify(token)).hasMessage("signing key does not fit the algorithm");
        }
    }

    @Nested
    class KeysInTheToken {

        @Test
        void anEmbeddedJwkIsRefusedEvenWhenItIsTheTrustedKey() throws Exception {
            ECKey attackerJwk = new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) attacker.getPublic()).build();
            refused(sign(header(JWSAlgorithm.ES256).jwk(attackerJwk).build(), goodClaims().build(), attacker.getPrivate()),
                    "keys carried in a token are not trusted");
            refused(sign(header(JWSAlgorithm.ES256).jwk(attackerJwk).keyID(attackerJwk.computeThumbprint().toString()).build(),
                    goodClaims().build(), attacker.getPrivate()), "keys carried in a token are not trusted");

            ECKey trustedJwk = new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                    (ECPublicKey) es256.certificateChain().getFirst().getPublicKey()).keyID(es256.keyId()).build();
            refused(sign(header(JWSAlgorithm.ES256).jwk(trustedJwk).keyID(es256.keyId()).build(), goodClaims().build(),
                    es256.privateKey()), "keys carried in a token are not trusted");
        }

        @Test
        void keyUrlsAreRefused() {
            refused(sign(berthHeader(es256).jwkURL(URI.create("https://attacker.example/jwks.json")).build(),
                    goodClaims().build(), es256.privateKey()), "keys carried in a token are not trusted");
            refused(sign(berthHeader(es256).x509CertURL(URI.create("https://attacker.example/chain.pem")).build(),
                    goodClaims().build(), es256.privateKey()), "keys carried in a token are not trusted");
        }

        @Test
        void criticalHeaderParametersAreRefused() {
            JWSHeader header = berthHeader(es256).customParam("berth-x", 1).criticalParams(Set.of("berth-x")).build();

            refused(sign(header, goodClaims().build(), es256.privateKey()), "unsupported critical header parameters");
        }

        @Test
        void aValidTokenResignedByAnUntrustedKeyWithASelfMadeChainIsRefused() {
            X509Certificate forged = TestPki.selfSigned("CN=berth token signer", attacker, false);
            JWSHeader header = header(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(KeyIds.libtrust(attacker.getPublic()))
                    .x509CertChain(x5c(forged)).build();

            refused(sign(header, goodClaims().build(), attacker.getPrivate()), "untrusted signing certificate");
        }

        @Test
        void aSelfMadeChainClaimingTheTrustedKeyIdIsRefused() {
            X509Certificate forged = TestPki.selfSigned("CN=berth token signer", attacker, false);
            JWSHeader header = header(JWSAlgorithm.ES256).keyID(es256.keyId()).x509CertChain(x5c(forged)).build();

            refused(sign(header, goodClaims().build(), attacker.getPrivate()), "untrusted signing certificate");
        }

        @Test
        void theTrustedCertificateInX5cDoesNotMakeAnotherKeysSignatureValid() {
            refused(sign(berthHeader(es256).build(), goodClaims().build(), attacker.getPrivate()), "invalid signature");
            refused(sign(header(JWSAlgorithm.ES256).keyID(es256.keyId()).build(), goodClaims().build(), attacker.getPrivate()),
                    "invalid signature");
        }

        @Test
        void aTamperedPayloadIsRefused() {
            String[] parts = berthToken(goodClaims().build()).split("\\.");
            String widened = b64(goodClaims().claim("access", List.of(Map.of("type", "repository", "name", "team/app",
                    "actions", List.of("*")))).build().toString());

            refused(parts[0] + "." + widened + "." + parts[2], "invalid signature");
        }

        @Test
        void anUnknownOrMissingKidWithoutX5cIsRefused() {
            refused(sign(header(JWSAlgorithm.ES256).keyID(KeyIds.libtrust(attacker.getPublic())).build(), goodClaims().build(),
                    attacker.getPrivate()), "untrusted signing key");
            refused(sign(header(JWSAlgorithm.ES256).build(), goodClaims().build(), attacker.getPrivate()), "untrusted signing key");
        }

        @Test
        void garbageInX5cIsRefused() {
            JWSHeader header = header(JWSAlgorithm.ES256).x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode("junk"))).build();

            refused(sign(header, goodClaims().build(), es256.privateKey()), "malformed certificate chain");
        }
    }

    @Nested
    class Chains {
        static final KeyPair rootKey = TestPki.ec("secp384r1");
        static final KeyPair intermediateKey = TestPki.ec("secp256r1");
        static final KeyPair leafKey = TestPki.rsa(2048);
        static final X509Certificate root = TestPki.selfSigned("CN=other root", rootKey, true);
        static final X509Certificate intermediate = TestPki.certificate("CN=other intermediate", intermediateKey, "CN=other root",
                rootKey.getPrivate(), true, NOW.minusSeconds(3600), NOW.plusSeconds(86_400));
        static final X509Certificate leaf = TestPki.certificate("CN=other signer", leafKey, "CN=other intermediate",
                intermediateKey.getPrivate(), false, NOW.minusSeconds(3600), NOW.plusSeconds(86_400));
        TokenVerifier trustsRoot;

        @BeforeEach
        void trustTheRoot() {
            trustsRoot = new TokenVerifier(TrustedKeys.builder().signingKey(es256).pem(TestPki.pem(root)).build(),
                    Set.of("berth", "other"), "registry", Duration.ofSeconds(30), clock);
        }

        private String token(X509Certificate... chain) {
            return sign(header(JWSAlgorithm.RS256).x509CertChain(x5c(chain)).build(), goodClaims().issuer("other").build(),
                    leafKey.getPrivate());
        }

        @Test
        void aChainToATrustedRootIsAccepted() {
            assertThat(trustsRoot.verify(token(leaf, intermediate)).issuer()).isEqualTo("other");
            assertThat(trustsRoot.verify(token(leaf, intermediate, root)).issuer()).isEqualTo("other");
        }

        @Test
        void severalIssuersAreTrustedSideBySide() {
            assertThat(trustsRoot.verify(token(leaf, intermediate)).issuer()).isEqualTo("other");
            assertThat(trustsRoot.verify(issuer(es256).issue(ALICE, "registry", PULL_APP).token()).issuer()).isEqualTo("berth");
        }

        @Test
        void aChainMissingItsIntermediateIsRefused() {
            assertThatThrownBy(() -> trustsRoot.verify(token(leaf))).hasMessage("untrusted signing certificate");
        }

        @Test
        void aChainThroughANonCaCertificateIsRefused() {
            KeyPair underLeaf = TestPki.ec("secp256r1");
            X509Certificate issuedByLeaf = TestPki.certificate("CN=under leaf", underLeaf, "CN=other signer", leafKey.getPrivate(),
                    false, NOW.minusSeconds(3600), NOW.plusSeconds(86_400));
            String token = sign(header(JWSAlgorithm.ES256).x509CertChain(x5c(issuedByLeaf, leaf, intermediate)).build(),
                    goodClaims().issuer("other").build(), underLeaf.getPrivate());

            assertThatThrownBy(() -> trustsRoot.verify(token)).hasMessage("untrusted signing certificate");
        }

        @Test
        void anExpiredLeafIsRefused() {
            X509Certificate expired = TestPki.certificate("CN=other signer", leafKey, "CN=other intermediate",
                    intermediateKey.getPrivate(), false, NOW.minusSeconds(7200), NOW.minusSeconds(3600));

            assertThatThrownBy(() -> trustsRoot.verify(token(expired, intermediate))).hasMessage("untrusted signing certificate");
        }

        @Test
        void anExpiredPinnedCertificateIsRefused() {
            clock.set(Instant.now().plus(Duration.ofDays(3700)));
            String token = issuer(es256).issue(ALICE, "registry", PULL_APP).token();
            String byKid = sign(header(JWSAlgorithm.ES256).keyID(es256.keyId()).build(),
                    goodClaims().issueTime(null).notBeforeTime(null).expirationTime(Date.from(clock.instant().plusSeconds(60))).build(),
                    es256.privateKey());

            assertThatThrownBy(() -> trustsRoot.verify(token)).hasMessage("signing certificate expired or not yet valid");
            assertThatThrownBy(() -> trustsRoot.verify(byKid)).hasMessage("signing certificate expired or not yet valid");
        }

        @Test
        void aLeafNotMeantForSignaturesIsRefused() throws Exception {
            var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=other intermediate"), BigInteger.TEN,
                    Date.from(NOW.minusSeconds(60)), Date.from(NOW.plusSeconds(3600)), new X500Name("CN=tls only"),
                    leafKey.getPublic());
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment));
            X509Certificate encipherOnly = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(intermediateKey.getPrivate())));

            assertThatThrownBy(() -> trustsRoot.verify(token(encipherOnly, intermediate)))
                    .hasMessage("signing certificate not meant for signatures");
        }

        @Test
        void aForeignIssuerNameIsRefusedUnlessAccepted() {
            assertThatThrownBy(() -> verifier(TrustedKeys.builder().pem(TestPki.pem(root)).build()).verify(token(leaf, intermediate)))
                    .hasMessage("untrusted token issuer");
        }
    }

    @Nested
    class KeysByKid {

        @Test
        void aJwkSetTrustsKeysByTheirKid() {
            KeyPair other = TestPki.rsa(2048);
            String jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) other.getPublic()).keyID("k1").build()).toString();
            TokenVerifier byKid = verifier(TrustedKeys.builder().jwks(jwks).build());

            assertThat(byKid.verify(sign(header(JWSAlgorithm.RS256).keyID("k1").build(), goodClaims().build(), other.getPrivate()))
                    .subject()).isEqualTo("alice");
            assertThatThrownBy(() -> byKid.verify(sign(header(JWSAlgorithm.RS256).keyID("k2").build(), goodClaims().build(),
                    other.getPrivate()))).hasMessage("untrusted signing key");
        }

        @Test
        void pemPublicKeysAreTrustedByTheirLibtrustId() {
            KeyPair other = TestPki.ec("secp521r1");
            TokenVerifier byKid = verifier(TrustedKeys.builder().pem(Pem.encode("PUBLIC KEY", other.getPublic().getEncoded())).build());

            String token = sign(header(JWSAlgorithm.ES512).keyID(KeyIds.libtrust(other.getPublic())).build(), goodClaims().build(),
                    other.getPrivate());

            assertThat(byKid.verify(token).subject()).isEqualTo("alice");
        }

        @Test
        void badTrustMaterialIsRefusedUpFront() {
            assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.builder().pem("nothing here").build());
            assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.builder()
                    .pem(Pem.encode("PRIVATE KEY", attacker.getPrivate().getEncoded())).build());
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> TrustedKeys.builder().jwks("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}").build());
            assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.builder().jwks("{").build());
            assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.builder().build());
            String one = new JWKSet(new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) attacker.getPublic())
                    .keyID(es256.keyId()).build()).toString();
            assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.builder().signingKey(es256).jwks(one).build())
                    .withMessageContaining("two different trusted keys");
        }
    }

    @Nested
    class Claims {

        @Test
        void anExpiredTokenIsRefused() {
            refused(berthToken(goodClaims().expirationTime(Date.from(NOW.minusSeconds(31))).build()), "token expired");
        }

        @Test
        void aTokenWithoutExpiryIsRefused() {
            refused(berthToken(goodClaims().expirationTime(null).build()), "token has no expiry");
        }

        @Test
        void aTokenNotYetValidIsRefused() {
            refused(berthToken(goodClaims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build()), "token not yet valid");
        }

        @Test
        void aTokenForAnotherServiceIsRefused() {
            refused(berthToken(goodClaims().audience("other-registry").build()), "token not meant for this service");
            refused(berthToken(goodClaims().audience(List.of("a", "b")).build()), "token not meant for this service");
            refused(berthToken(goodClaims().audience((String) null).build()), "token not meant for this service");
            refused(berthToken(goodClaims().audience("Registry").build()), "token not meant for this service");
        }

        @Test
        void aTokenFromAnUnacceptedIssuerIsRefused() {
            refused(berthToken(goodClaims().issuer("evil").build()), "untrusted token issuer");
            refused(berthToken(goodClaims().issuer(null).build()), "untrusted token issuer");
        }

        @Test
        void claimsOfTheWrongTypeAreRefused() {
            refused(berthToken(goodClaims().claim("exp", "tomorrow").build()), "malformed token claims");
            refused(berthToken(goodClaims().claim("aud", Map.of("a", "registry")).build()), "token not meant for this service");
            refused(berthToken(goodClaims().claim("sub", Map.of("name", "alice")).build()), "malformed token claims");
            refused(berthToken(goodClaims().claim("iss", List.of("berth")).build()), "malformed token claims");
            refused(berthToken(goodClaims().claim("nbf", "now").build()), "malformed token claims");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "\"repository:team/app:pull\"",
            "{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"]}",
            "[\"repository:team/app:pull\"]",
            "[{\"name\":\"team/app\",\"actions\":[\"pull\"]}]",
            "[{\"type\":\"repository\",\"actions\":[\"pull\"]}]",
            "[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":\"pull\"}]",
            "[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull,push\"]}]",
            "[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[1]}]",
            "[{\"type\":\"repository\",\"name\":\"team app\",\"actions\":[\"pull\"]}]",
            "[{\"type\":\"repository\",\"name\":\"team/app\\\"\",\"actions\":[\"pull\"]}]",
            "[{\"type\":\"Repo sitory\",\"name\":\"team/app\",\"actions\":[\"pull\"]}]",
            "[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"],\"parameters\":{\"a\":{\"b\":1}}}]",
            "[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"],\"parameters\":[]}]",
            "[{\"type\":\"repository\",\"class\":7,\"name\":\"team/app\",\"actions\":[\"pull\"]}]",
            "[null]",
            "[[]]",
        })
        void aMalformedAccessClaimIsRefused(String access) throws Exception {
            Map<String, Object> claims = new java.util.HashMap<>(goodClaims().build().toJSONObject());
            claims.put("access", com.nimbusds.jose.util.JSONObjectUtils.parse("{\"v\":" + access + "}").get("v"));

            refused(berthToken(JWTClaimsSet.parse(claims)), "malformed access claim");
        }
    }

    @Nested
    class Malformed {

        @ParameterizedTest
        @ValueSource(strings = {"", "garbage", "a.b", "a.b.c.d", "a.b.c.d.e", "...", "eyJhbGciOiJFUzI1NiJ9..", "a b.c.d",
            "eyJ.eyJ.sig=", "e30.e30.e30", "bm90IGpzb24.e30.e30"})
        void garbageIsRefused(String token) {
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class)
                    .hasMessageMatching("missing token|malformed token|unsupported signing algorithm|untrusted signing key");
        }

        @Test
        void nullIsRefused() {
            refused(null, "missing token");
        }

        @Test
        void aPayloadThatIsNotJsonIsRefusedAfterTheSignature() {
            String token = sign(berthHeader(es256).build(), goodClaims().build(), es256.privateKey());
            String[] parts = token.split("\\.");

            refused(parts[0] + "." + b64("not json") + "." + parts[2], "invalid signature");
        }

        @Test
        void anOverLongTokenIsRefusedBeforeParsing() {
            String huge = berthToken(goodClaims().claim("padding", "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH)).build());
            refused(huge, "token too large");
            refused("e".repeat(10_000_000), "token too large");
        }

        @Test
        void duplicateHeaderMembersAreRefused() {
            String[] parts = berthToken(goodClaims().build()).split("\\.");
            String header = b64("{\"alg\":\"ES256\",\"kid\":\"" + es256.keyId() + "\",\"alg\":\"HS256\"}");

            refused(header + "." + parts[1] + "." + parts[2], "malformed token");
        }

        @Test
        void reasonsNeverQuoteTheTokenAndCarryNoStackTrace() {
            String token = berthToken(goodClaims().issuer("evil").build());

            assertThatThrownBy(() -> verifier.verify(token)).satisfies(e -> {
                assertThat(e.getMessage()).doesNotContain(token).doesNotContain("evil");
                assertThat(e.getStackTrace()).isEmpty();
            });
        }
    }

    @Nested
    class CacheAndRotation {

        @Test
        void aRepeatedTokenIsServedFromTheCacheButStillExpires() {
            String token = issuer(es256).issue(ALICE, "registry", PULL_APP).token();

            VerifiedToken first = verifier.verify(token);
            assertThat(verifier.verify(token)).isSameAs(first);

            clock.advance(Duration.ofSeconds(300 + 30));
            assertThat(verifier.verify(token)).isSameAs(first);
            clock.advance(Duration.ofSeconds(1));
            refused(token, "token expired");
            refused(token, "token expired");
        }

        @Test
        void failuresAreNotCached() {
            String early = berthToken(goodClaims().notBeforeTime(Date.from(NOW.plusSeconds(60))).build());

            refused(early, "token not yet valid");
            clock.advance(Duration.ofSeconds(31));
            assertThat(verifier.verify(early).subject()).isEqualTo("alice");
        }

        @Test
        void theCacheStaysBounded() {
            TokenVerifier small = new TokenVerifier(TrustedKeys.of(es256), Set.of("berth"), "registry", Duration.ofSeconds(30),
                    clock, 20);
            TokenIssuer issuer = issuer(es256);
            List<String> tokens = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tokens.add(issuer.issue(ALICE, "registry", PULL_APP).token());
                small.verify(tokens.getLast());
                assertThat(small.cachedCount()).isLessThanOrEqualTo(20);
            }
            for (String token : tokens) {
                assertThat(small.verify(token).subject()).isEqualTo("alice");
            }
        }

        @Test
        void tokensSignedInThisProcessAreCachedAtIssueAsFullVerificationReadsThem() {
            TokenIssuer issuer = new TokenIssuer(es256, "berth", Duration.ofMinutes(5), clock, verifier);
            List<AccessEntry> access = List.of(
                    AccessEntry.of(Scope.repository("team/app", "pull", "push"), Map.of("pull_limit", "100")),
                    AccessEntry.of(Scope.catalog(), Map.of()));
            String alice = issuer.issue(ALICE, "registry", access).token();
            String anonymous = issuer.issue(new Principal.Anonymous(), "registry", List.of()).token();
            assertThat(verifier.cachedCount()).isEqualTo(2);

            TokenVerifier full = verifier(TrustedKeys.of(es256));
            assertThat(verifier.verify(alice)).isEqualTo(full.verify(alice));
            assertThat(verifier.verify(anonymous)).isEqualTo(full.verify(anonymous));
            assertThat(verifier.cachedCount()).isEqualTo(2);

            clock.advance(Duration.ofSeconds(300 + 31));
            refused(alice, "token expired");
        }

        @Test
        void tokensSignedInThisProcessThatVerificationWouldRefuseAreNotCachedAtIssue(@TempDir Path dir) throws Exception {
            SigningKey stranger = SigningKey.loadOrCreate(dir, Algorithm.ES256);
            String otherService = new TokenIssuer(es256, "berth", Duration.ofMinutes(5), clock, verifier)
                    .issue(ALICE, "elsewhere", PULL_APP).token();
            String untrustedKey = new TokenIssuer(stranger, "berth", Duration.ofMinutes(5), clock, verifier)
                    .issue(ALICE, "registry", PULL_APP).token();
            String otherIssuer = new TokenIssuer(es256, "someone-else", Duration.ofMinutes(5), clock, verifier)
                    .issue(ALICE, "registry", PULL_APP).token();

            assertThat(verifier.cachedCount()).isZero();
            refused(otherService, "token not meant for this service");
            refused(untrustedKey, "untrusted signing certificate");
            refused(otherIssuer, "untrusted token issuer");
        }

        @Test
        void reloadRotatesTrustedKeysAndDropsCachedVerifications(@TempDir Path dir) throws Exception {
            SigningKey next = SigningKey.loadOrCreate(dir.resolve("next"), Algorithm.ES256);
            Path bundle = dir.resolve("issuers.pem");
            Files.writeString(bundle, es256.certificateBundlePem());
            TrustedKeys trusted = TrustedKeys.builder().file(bundle).build();
            TokenVerifier fromFile = verifier(trusted);
            String old = issuer(es256).issue(ALICE, "registry", PULL_APP).token();
            String rotated = issuer(next).issue(ALICE, "registry", PULL_APP).token();
            assertThat(fromFile.verify(old).subject()).isEqualTo("alice");
            assertThatThrownBy(() -> fromFile.verify(rotated)).hasMessage("untrusted signing certificate");
            assertThat(trusted.reload()).isFalse();

            Files.writeString(bundle, next.certificateBundlePem());
            assertThat(trusted.reload()).isTrue();

            assertThat(fromFile.verify(rotated).subject()).isEqualTo("alice");
            assertThatThrownBy(() -> fromFile.verify(old)).hasMessage("untrusted signing certificate");

            Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
            assertThatIllegalArgumentException().isThrownBy(trusted::reload).withMessageContaining("issuers.pem");
            assertThat(fromFile.verify(rotated).subject()).isEqualTo("alice");

            Files.writeString(bundle, new JWKSet(new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                    (ECPublicKey) next.certificateChain().getFirst().getPublicKey()).keyID("next").build()).toString());
            assertThat(trusted.reload()).isTrue();
            assertThat(fromFile.verify(sign(header(JWSAlgorithm.ES256).keyID("next").build(), goodClaims().build(),
                    next.privateKey())).subject()).isEqualTo("alice");
        }
    }

    @Test
    void verifierSettingsAreChecked() {
        TrustedKeys trusted = TrustedKeys.of(es256);
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenVerifier(trusted, Set.of(), "registry"));
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenVerifier(trusted, Set.of("berth"), ""));
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenVerifier(trusted, Set.of("berth"), "registry",
                Duration.ofSeconds(-1), clock));
        assertThat(new TokenVerifier(trusted, Set.of("berth"), "registry")
                .verify(new TokenIssuer(es256, "berth").issue(ALICE, "registry", PULL_APP).token()).subject()).isEqualTo("alice");
    }
}
