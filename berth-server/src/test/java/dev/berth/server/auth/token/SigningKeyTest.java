package dev.berth.server.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.berth.server.auth.token.SigningKey.Algorithm;
import dev.berth.spec.auth.KeyIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Assumptions;
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
                .withMessageContaining("holds an ES256 key but RS256 is configured");
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
        KeyPair ec = TestPki.ec("secp256r1");
        KeyPair rsa = TestPki.rsa(2048);
        X509Certificate ecCertificate = TestPki.selfSigned("CN=operator", ec, false);
        X509Certificate rsaCertificate = TestPki.selfSigned("CN=operator", rsa, false);
        PrivateKeyInfo ecInfo = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        String ecTraditional = Pem.encode("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                ((ECPrivateKey) ec.getPrivate()).getS(),
                new DERBitString(SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded()).getPublicKeyData().getBytes()),
                ecInfo.getPrivateKeyAlgorithm().getParameters()).getEncoded());
        String rsaTraditional = Pem.encode("RSA PRIVATE KEY",
                PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded());

        SigningKey pkcs8 = SigningKey.fromPem(Pem.encode("PRIVATE KEY", ec.getPrivate().getEncoded()), TestPki.pem(ecCertificate));
        SigningKey sec1 = SigningKey.fromPem("comment before\n" + ecTraditional, TestPki.pem(ecCertificate));
        SigningKey pkcs1 = SigningKey.fromPem(rsaTraditional, TestPki.pem(rsaCertificate));

        assertThat(pkcs8.keyId()).isEqualTo(sec1.keyId()).isEqualTo(KeyIds.libtrust(ec.getPublic()));
        assertThat(pkcs8.algorithm()).isEqualTo(Algorithm.ES256);
        assertThat(pkcs1.algorithm()).isEqualTo(Algorithm.RS256);
    }

    @Test
    void fromPemTakesWhatOpensslWrites(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        Path key = work.resolve("key.pem");
        Path certificate = work.resolve("cert.pem");
        run("/usr/bin/openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        run("/usr/bin/openssl", "req", "-new", "-x509", "-key", key.toString(), "-subj", "/CN=openssl signer", "-days", "30",
                "-out", certificate.toString());

        SigningKey loaded = SigningKey.fromPem(Files.readString(key), Files.readString(certificate));

        assertThat(Files.readString(key)).contains("-----BEGIN EC PRIVATE KEY-----");
        assertThat(loaded.algorithm()).isEqualTo(Algorithm.ES256);
        assertThat(loaded.certificateChain().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=openssl signer");
    }

    @Test
    void fromPemRefusesEncryptedKeys(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        Path key = work.resolve("key.pem");
        run("/usr/bin/openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-128-cbc",
                "-pass", "pass:secret", "-out", key.toString());
        X509Certificate any = TestPki.selfSigned("CN=x", TestPki.ec("secp256r1"), false);

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKey.fromPem(Files.readString(key), TestPki.pem(any)))
                .withMessageContaining("encrypted");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    @Test
    void fromPemTakesAChainLeafFirst() {
        KeyPair ca = TestPki.ec("secp256r1");
        KeyPair leaf = TestPki.rsa(2048);
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
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SigningKey.fromPem("not pem", TestPki.pem(TestPki.selfSigned("CN=x", one, false))))
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
}
