package dev.berth.server.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys, certificates and hand-made tokens for the tests: an attacker's toolbox and a small CA. */
final class TestPki {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** A certificate for {@code subject}, issued by {@code issuerKey} under {@code issuerName} (self-signed when the same). */
    static X509Certificate certificate(String subjectName, KeyPair subject, String issuerName, PrivateKey issuerKey,
            boolean ca, Instant notBefore, Instant notAfter) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuerName),
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subjectName), subject.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature));
            String algorithm = issuerKey instanceof ECPrivateKey ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static X509Certificate selfSigned(String name, KeyPair pair, boolean ca) {
        return certificate(name, pair, name, pair.getPrivate(), ca, NOW.minusSeconds(86_400 * 365), NOW.plusSeconds(86_400 * 365));
    }

    static String pem(X509Certificate... certificates) {
        return Pem.certificates(List.of(certificates));
    }

    static List<Base64> x5c(X509Certificate... certificates) {
        List<Base64> chain = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            try {
                chain.add(Base64.encode(certificate.getEncoded()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return chain;
    }

    /** Claims a verifier for audience "registry" and issuer "berth" accepts at {@link #NOW}. */
    static JWTClaimsSet.Builder goodClaims() {
        return new JWTClaimsSet.Builder()
                .issuer("berth")
                .subject("alice")
                .audience("registry")
                .issueTime(Date.from(NOW))
                .notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(300)))
                .jwtID("test")
                .claim("access", List.of(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull"))));
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, PrivateKey key) {
        try {
            JWSSigner signer = key instanceof ECPrivateKey ec
                    ? new ECDSASigner(ec)
                    : new RSASSASigner(key, Set.of(AllowWeakRSAKey.getInstance()));
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static JWSHeader.Builder header(JWSAlgorithm algorithm) {
        return new JWSHeader.Builder(algorithm);
    }

    static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
