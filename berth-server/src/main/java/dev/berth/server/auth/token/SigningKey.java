package dev.berth.server.auth.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import dev.berth.spec.auth.KeyIds;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The key berth signs registry tokens with, and the X.509 certificate chain that goes into each token's
 * {@code x5c} header so that any registry trusting {@link #certificateBundlePem()} accepts them.
 *
 * <p>{@link #loadOrCreate} keeps the key in a directory: the first start generates a key pair and a
 * self-signed certificate ({@code CN=berth token signer}, valid for ten years) and writes
 * {@code token.key} (PKCS#8 PEM, mode 0600 from its creation) and {@code token.crt}, each through a
 * temporary file renamed into place; later starts load them. Operators with their own PKI pass the key
 * and chain to {@link #fromPem} instead.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.loadOrCreate(dataDir.resolve("token"), SigningKey.Algorithm.ES256);
 * Files.writeString(bundle, key.certificateBundlePem()); // distribution: auth.token.rootcertbundle
 * }</pre>
 */
public final class SigningKey {
    /** The private key file in a {@link #loadOrCreate} directory. */
    public static final String KEY_FILE = "token.key";
    /** The certificate file in a {@link #loadOrCreate} directory. */
    public static final String CERTIFICATE_FILE = "token.crt";
    private static final String LOCK_FILE = ".token.lock";
    private static final String SUBJECT = "CN=berth token signer";
    private static final Duration VALIDITY = Duration.ofDays(3653);
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How tokens are signed. ES256 (ECDSA on P-256) is the default: small keys, small tokens, fast
     * signing. RS256 uses a 2048-bit RSA key, the size every registry accepts and enough for keys that
     * sign five-minute tokens; generating one takes well under a second, where 3072 bits takes
     * seconds. Operator keys given to {@link #fromPem} may be larger.
     */
    public enum Algorithm {
        ES256(JWSAlgorithm.ES256, "SHA256withECDSA"),
        RS256(JWSAlgorithm.RS256, "SHA256withRSA");

        static final int RSA_BITS = 2048;
        final JWSAlgorithm jws;
        final String jca;

        Algorithm(JWSAlgorithm jws, String jca) {
            this.jws = jws;
            this.jca = jca;
        }

        KeyPair generate() throws GeneralSecurityException {
            if (this == ES256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, RANDOM);
            return generator.generateKeyPair();
        }

        /** The algorithm that signs with {@code key}: P-256 is ES256, RSA of 2048 bits or more is RS256. */
        static Algorithm of(PublicKey key) {
            if (key instanceof ECPublicKey ec) {
                if (Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    return ES256;
                }
                throw new IllegalArgumentException("unsupported EC curve, use P-256");
            }
            if (key instanceof RSAPublicKey rsa) {
                if (rsa.getModulus().bitLength() < RSA_BITS) {
                    throw new IllegalArgumentException("RSA key of " + rsa.getModulus().bitLength()
                            + " bits, at least 2048 needed");
                }
                return RS256;
            }
            throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm() + ", use EC P-256 or RSA");
        }
    }

    private final Algorithm algorithm;
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final String keyId;

    private SigningKey(PrivateKey privateKey, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate for the signing key");
        }
        this.algorithm = Algorithm.of(chain.getFirst().getPublicKey());
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.keyId = KeyIds.libtrust(chain.getFirst().getPublicKey());
        checkPair(algorithm, privateKey, chain.getFirst().getPublicKey());
        checkOrder(this.chain);
        try {
            chain.getFirst().checkValidity();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the signing certificate is not valid now (" + chain.getFirst().getNotBefore()
                    + " to " + chain.getFirst().getNotAfter() + ")");
        }
    }

    /**
     * Loads {@code dir/token.key} and {@code dir/token.crt}, or, when there is no key yet, generates
     * them. Processes that share {@code dir} and start together agree on one key (a lock file guards
     * creation).
     *
     * @throws IllegalArgumentException when the files exist but do not hold a matching, valid key and
     *     certificate for {@code algorithm}
     */
    public static synchronized SigningKey loadOrCreate(Path dir, Algorithm algorithm) throws IOException {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve(KEY_FILE);
        Path certificateFile = dir.resolve(CERTIFICATE_FILE);
        try (FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lockChannel.lock(); // released when the channel closes
            if (Files.exists(keyFile)) {
                if (!Files.exists(certificateFile)) {
                    throw new IllegalArgumentException(certificateFile + " is missing; restore it, or remove " + keyFile
                            + " to generate a new signing key");
                }
                SigningKey key;
                try {
                    key = fromPem(Files.readString(keyFile), Files.readString(certificateFile));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(keyFile + " / " + certificateFile + ": " + e.getMessage(), e);
                }
                if (key.algorithm != algorithm) {
                    throw new IllegalArgumentException(keyFile + " holds an " + key.algorithm + " key but " + algorithm
                            + " is configured; configure " + key.algorithm + ", or remove " + keyFile + " and "
                            + certificateFile + " to generate a new key");
                }
                return key;
            }
            SigningKey key = generate(algorithm);
            // Certificate first: a crash in between leaves no key, so the next start generates both again.
            writeAtomically(certificateFile, key.certificateChainPem(), false);
            writeAtomically(keyFile, Pem.encode("PRIVATE KEY", key.privateKey.getEncoded()), true);
            syncDirectory(dir);
            return key;
        }
    }

    /**
     * A key and its certificate chain given by an operator: {@code keyPem} holds one private key
     * (PKCS#8 {@code PRIVATE KEY}, or {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY}; not encrypted),
     * {@code certChainPem} the certificate of that key first, then any intermediates, in order. The
     * key must be EC P-256 (ES256) or RSA of at least 2048 bits (RS256).
     *
     * @throws IllegalArgumentException when the PEM is malformed, the key does not match the first
     *     certificate, the chain is out of order or the certificate is not valid now
     */
    public static SigningKey fromPem(String keyPem, String certChainPem) {
        List<PrivateKey> keys = new ArrayList<>();
        for (Object object : Pem.read(keyPem)) {
            if (object instanceof PrivateKey key) {
                keys.add(key);
            }
        }
        if (keys.size() != 1) {
            throw new IllegalArgumentException("expected one private key in the key PEM, found " + keys.size());
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Object object : Pem.read(certChainPem)) {
            if (object instanceof X509Certificate certificate) {
                chain.add(certificate);
            }
        }
        return new SigningKey(keys.getFirst(), chain);
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** The libtrust key id of the public key, the {@code kid} of every token signed with it. */
    public String keyId() {
        return keyId;
    }

    /** The signing certificate first, then any intermediates: a token's {@code x5c}. */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /**
     * What another registry trusts to accept berth's tokens (CNCF distribution:
     * {@code auth.token.rootcertbundle}): the signing certificate itself, in PEM. It pins this key
     * rather than trusting a whole CA; an operator whose key a CA of their own issued may hand out
     * that CA's certificate instead.
     */
    public String certificateBundlePem() {
        return Pem.certificates(List.of(chain.getFirst()));
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    private String certificateChainPem() {
        return Pem.certificates(chain);
    }

    private static SigningKey generate(Algorithm algorithm) {
        try {
            KeyPair pair = algorithm.generate();
            return new SigningKey(pair.getPrivate(), List.of(selfSigned(pair, algorithm)));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " signing key", e);
        }
    }

    private static X509Certificate selfSigned(KeyPair pair, Algorithm algorithm)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        Instant now = Instant.now();
        X500Name name = new X500Name(SUBJECT);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM).setBit(126),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm.jca).build(pair.getPrivate())));
    }

    /** The private key must sign what the certificate's public key verifies. */
    private static void checkPair(Algorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        if ((algorithm == Algorithm.ES256) != (privateKey instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("the private key does not match the certificate");
        }
        try {
            byte[] probe = "berth signing key probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm.jca);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm.jca);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private key does not match the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key does not match the certificate", e);
        }
    }

    /** Each certificate must be signed by the next: the leaf first, as {@code x5c} wants. */
    private static void checkOrder(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate " + (i + 1) + " of the chain is not signed by the next;"
                        + " list the signing certificate first, then its issuers");
            }
        }
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        FileAttribute<?>[] attributes = secret && target.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can sync a directory; the renames are done either way.
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm + ", kid=" + keyId + ", subject=" + chain.getFirst().getSubjectX500Principal() + "]";
    }
}
