package dev.berth.server.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.berth.server.auth.token.SigningKey.Algorithm;
import dev.berth.spec.auth.KeyIds;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SigningKeyTest {
    static final String LIBTRUST_KEY_ID = "^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void loadOrCreateMakesAKeyOnceAndLoadsItLater(Algorithm algorithm) throws Exception {
        SigningKey created = SigningKey.loadOrCreate(dir, algorithm);
        SigningKey loaded = SigningKey.loadOrCreate(dir, algorithm);

        assertThat(created.algorithm()).isEqualTo(algorithm);
        assertThat(loaded.keyId()).isEqualTo(created.keyId());
        assertThat(loaded.certificateChain()).isEqualTo(created.certificateChain());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(created.privateKey().getEncoded());
        assertThat(created.certificateChain().getFirst().getPublicKey())
                .isInstanceOf(algorithm == Algorithm.ES256 ? ECPublicKey.class : RSAPublicKey.class);
        if (algorithm == Algorithm.RS256) {
            assertThat(((RSAPublicKey) created.certificateChain().getFirst().getPublicKey()).getModulus().bitLength())
                    .isEqualTo(2048);
        }
    }

    @Test
    void writesAnOwnerOnlyPkcs8KeyAndAPemCertificateAndNoLeftovers() throws Exception {
        SigningKey.loadOrCreate(dir, Algorithm.ES256);

        Path key = dir.resolve("token.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(dir.resolve("token.crt")))
                .startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void concurrentFirstStartsAgreeOnOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<String> start = () -> SigningKey.loadOrCreate(dir, Algorithm.ES256).keyId();
            List<Future<String>> ids = pool.invokeAll(List.of(start, start, start, start));
            String first = ids.getFirst().get();
            for (Future<String> id : ids) {
                assertThat(id.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void generatesASelfSignedTenYearSigningCertificate() throws Exception {
        Instant before = Instant.now();
        SigningKey key = SigningKey.loadOrCreate(dir, Algorithm.ES256);
        X509Certificate certificate = key.certificateChain().getFirst();

        assertThat(key.certificateChain()).hasSize(1);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=berth token signer");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        certificate.verify(certificate.getPublicKey());
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(3650), Duration.ofDays(3660));
        assertThat(certificate.getNotBefore().toInstant()).isBefore(before);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getSerialNumber().bitLength()).isGreaterThan(64);
        assertThat(SigningKey.loadOrCreate(dir.resolve("other"), Algorithm.ES256).certificateChain().getFirst()
                .getSerialNumber()).isNotEqualTo(certificate.getSerialNumber());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void keyIdIsTheLibtrustIdOfThePublicKey(Algorithm algorithm) throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir, algorithm);

        assertThat(key.keyId()).matches(LIBTRUST_KEY_ID)
                .isEqualTo(KeyIds.libtrust(key.certificateChain().getFirst().getPublicKey()));
    }

    @Test
    void certificateBundleIsTheSigningCertificate() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir, Algorithm.RS256);

        assertThat(Pem.read(key.certificateBundlePem())).containsExactly(key.certificateChain().getFirst());
    }

    @Test
    void loadingRefusesAKeyOfAnotherAlgorithm() throws Exception {
        SigningKey.loadOrCreate(dir, Algorithm.ES256);

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.loadOrCreate(dir, Algorithm.RS256))
                .withMessageContaining("holds a ES256 key but RS256 is configured");
    }

    @Test
    void loadingRefusesAKeyWithoutItsCertificate() throws Exception {
        SigningKey.loadOrCreate(dir, Algorithm.ES256);
        Files.delete(dir.resolve("token.crt"));

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.loadOrCreate(dir, Algorithm.ES256))
                .withMessageContaining("token.crt is missing");
    }

    @Test
    void fromPemTakesPkcs8AndTraditionalKeys() throws Exception {
        KeyPair pair = TestPki.ec("secp256r1");
        X509Certificate certificate = TestPki.selfSigned("CN=operator", pair, false);
        String traditional = pemWriter(pair);

        SigningKey pkcs8 = SigningKey.fromPem(Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()), TestPki.pem(certificate));
        SigningKey openssl = SigningKey.fromPem(traditional, TestPki.pem(certificate));

        assertThat(traditional).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(pkcs8.keyId()).isEqualTo(openssl.keyId()).isEqualTo(KeyIds.libtrust(pair.getPublic()));
        assertThat(pkcs8.algorithm()).isEqualTo(Algorithm.ES256);
    }

    @Test
    void fromPemTakesAChainLeafFirst() {
        KeyPair ca = TestPki.ec("secp256r1");
        KeyPair leaf = TestPki.rsa(3072);
        X509Certificate root = TestPki.selfSigned("CN=ca", ca, true);
        X509Certificate signer = TestPki.certificate("CN=signer", leaf, "CN=ca", ca.getPrivate(), false,
                TestPki.NOW.minusSeconds(3600), TestPki.NOW.plusSeconds(86_400));
        String key = Pem.encode("PRIVATE KEY", leaf.getPrivate().getEncoded());

        SigningKey loaded = SigningKey.fromPem(key, TestPki.pem(signer, root));

        assertThat(loaded.algorithm()).isEqualTo(Algorithm.RS256);
        assertThat(loaded.certificateChain()).containsExactly(signer, root);
        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem(key, TestPki.pem(root, signer)));
    }

    @Test
    void fromPemRefusesMismatchedWeakOrUnsupportedKeys() {
        KeyPair one = TestPki.ec("secp256r1");
        KeyPair other = TestPki.ec("secp256r1");
        KeyPair weak = TestPki.rsa(1024);
        KeyPair p384 = TestPki.ec("secp384r1");

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem(
                Pem.encode("PRIVATE KEY", one.getPrivate().getEncoded()), TestPki.pem(TestPki.selfSigned("CN=x", other, false))))
                .withMessageContaining("does not match");
        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem(
                Pem.encode("PRIVATE KEY", weak.getPrivate().getEncoded()), TestPki.pem(TestPki.selfSigned("CN=x", weak, false))))
                .withMessageContaining("at least 2048");
        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem(
                Pem.encode("PRIVATE KEY", p384.getPrivate().getEncoded()), TestPki.pem(TestPki.selfSigned("CN=x", p384, false))))
                .withMessageContaining("P-256");
        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem("not pem", TestPki.pem(TestPki.selfSigned("CN=x", one, false))))
                .withMessageContaining("one private key");
        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem(
                Pem.encode("PRIVATE KEY", one.getPrivate().getEncoded()), ""))
                .withMessageContaining("no certificate");
    }

    @Test
    void fromPemRefusesAnExpiredCertificate() {
        KeyPair pair = TestPki.ec("secp256r1");
        X509Certificate expired = TestPki.certificate("CN=old", pair, "CN=old", pair.getPrivate(), false,
                TestPki.NOW.minusSeconds(7200), TestPki.NOW.minusSeconds(3600));

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem(
                Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()), TestPki.pem(expired)))
                .withMessageContaining("not valid now");
    }

    private static String pemWriter(KeyPair pair) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pair);
        }
        return out.toString();
    }
}
